using System.Globalization;

namespace Tracker.Analysis.Convergence;

/// <summary>Diagnoses saddle-point stalls (and escapes), premature convergence and oscillation at a constant learning rate.</summary>
/// <remarks>
/// <para>O(1) per point. The loss is smoothed (debiased EMA, weight 0.9); it is <i>flat</i> when its
/// smoothed value moved by at most max(1e-3·|level|, half the noise band) over the last
/// <c>window</c> points, and <i>high</i> when it has fallen by less than half from its early level
/// (or, with a known optimum, is still more than 10 % of the way from it). The noise band is the
/// mean absolute deviation of raw points from the smoothed loss.</para>
/// <list type="bullet">
/// <item>saddle_point_stall: the smoothed gradient norm collapsed by two orders of magnitude below its
/// peak while the loss is flat and high; saddle_point_escape: after a stall the loss falls 10 %
/// below the stall level and the gradient norm recovers tenfold.</item>
/// <item>premature_convergence: the learning rate decayed to 1e-3 of its peak while the loss is flat
/// and high (suggest warm restarts or a cyclical schedule).</item>
/// <item>oscillation_constant_lr: the learning rate has not changed for <c>window</c> of its points,
/// the loss is flat, its band is wider than 1 % of the level (or of a tenth of the drop, for a level near zero) and it
/// zig-zags: the raw loss travels at least three times its net change over the window (a monotone descent's smoothing lag is
/// no band) (suggest a decay).</item>
/// </list>
/// </remarks>
public sealed class FailureModeDetector
{
    private const double Ln100 = 4.605170185988092;
    private const double Ln10 = 2.302585092994046;
    private readonly int _window;
    private readonly double? _optimum;
    private readonly DebiasedEma _loss = new(0.9);
    private readonly DebiasedEma _noise = new(0.98);
    private readonly double[] _raw;
    private readonly double[] _steps;
    private double _path;
    private readonly double _chance;
    private double _lastRaw = double.NaN;
    private readonly DebiasedEma _logGrad = new(0.9);
    private readonly double[] _history;
    private long _lossCount;
    private int _next;
    private long _lastLossStep = long.MinValue;
    private double _early = double.NaN;
    private double _logGradMax = double.NegativeInfinity;
    private double _logGradStallMin = double.PositiveInfinity;
    private double _lr = double.NaN;
    private double _lrMax;
    private long _lrUnchanged;
    private double _stallLevel = double.NaN;
    private long? _stallStep;
    private long? _escapeStep;
    private double _escapeLevel = double.NaN;
    private long? _prematureStep;
    private long? _oscillationStep;

    /// <summary>Creates a detector; <paramref name="window"/> points define "flat" and "constant".</summary>
    /// <remarks>With <paramref name="numClasses"/> K, a loss above the chance level ln K counts as high however far it fell.</remarks>
    public FailureModeDetector(int window = 50, double? optimalLoss = null, int? numClasses = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        _window = window;
        _optimum = optimalLoss;
        _chance = numClasses is int k and >= 2 ? Math.Log(k) : double.NaN;
        _history = new double[window + 1];
        _raw = new double[window + 1];
        _steps = new double[window + 1];
    }

    /// <summary>Whether a saddle-point stall is in progress.</summary>
    public bool SaddleStall { get; private set; }

    /// <summary>Whether the learning rate has decayed to ~0 while the loss is high and flat.</summary>
    public bool PrematureConvergence { get; private set; }

    /// <summary>Whether the loss oscillates in a band at a constant learning rate.</summary>
    public bool OscillationAtConstantLr { get; private set; }

    /// <summary>The step at which the loss escaped the last stall, or null.</summary>
    public long? EscapeStep => _escapeStep;

    /// <summary>Feeds one training-loss point.</summary>
    public void ObserveLoss(long step, double value)
    {
        if ((_lossCount > 0 && step <= _lastLossStep) || !double.IsFinite(value))
        {
            return;
        }

        _lastLossStep = step;
        var move = _lossCount > 0 ? Math.Abs(value - _lastRaw) : 0;
        if (_lossCount > 0)
        {
            _noise.Next(Math.Abs(value - _loss.Value));
        }

        _lastRaw = value;

        var level = _loss.Next(value);
        var slot = _next;
        // Path length of the raw loss over the last window points: the ring's slot about to be reused held the oldest move.
        _path += move - _steps[slot];
        _steps[slot] = move;
        _raw[slot] = value;
        _history[slot] = level;
        _next = slot + 1 == _history.Length ? 0 : slot + 1;
        _lossCount++;
        if (_lossCount == 10)
        {
            _early = level;
        }

        if (_lossCount <= _window)
        {
            return;
        }

        // The ring has window + 1 slots: the oldest one (about to be overwritten) is window points back.
        var before = _history[_next];
        var band = double.IsNaN(_noise.Value) ? 0 : _noise.Value;
        var flat = Math.Abs(level - before) <= Math.Max(1e-3 * Math.Abs(level), 0.5 * band);
        var high = IsHigh(level);
        // A band is a zig-zag: the raw loss travels at least three times its net change over the window. A monotone curve
        // (deterministic descent onto a level, even a level of zero) travels exactly its net change: its "band" is the
        // smoothing's lag, not oscillation; and a loss sitting still at a saddle is quiet (its path under 5 % of its scale).
        var net = Math.Abs(value - _raw[_next]);
        var path = _path - _steps[_next];
        var zigzag = path >= 3 * net && path > 1e-12 * Math.Abs(level);
        var jitter = path / _window;
        var quiet = path <= 0.05 * Math.Max(Math.Abs(level), Math.Abs(_early - level));
        var logGrad = _logGrad.Value;
        var collapsed = _logGrad.Count > 0 && _logGradMax - logGrad >= Ln100;

        if (SaddleStall)
        {
            _logGradStallMin = Math.Min(_logGradStallMin, logGrad);
            var fell = level < _stallLevel - (0.1 * Math.Abs(_stallLevel));
            if (fell && logGrad - _logGradStallMin >= Ln10)
            {
                SaddleStall = false;
                _escapeStep = step;
                _escapeLevel = level;
            }
        }
        else if (flat && high && collapsed && quiet)
        {
            SaddleStall = true;
            _stallStep = step;
            _stallLevel = level;
            _logGradStallMin = logGrad;
        }

        var decayed = !double.IsNaN(_lr) && _lrMax > 0 && _lr <= 1e-3 * _lrMax;
        PrematureConvergence = Track(PrematureConvergence, decayed && flat && high, step, ref _prematureStep);
        var constant = !double.IsNaN(_lr) && _lrUnchanged >= _window;
        var wide = jitter > 0.01 * Math.Max(Math.Abs(level), 0.1 * Math.Abs(_early - level));
        OscillationAtConstantLr = Track(OscillationAtConstantLr, constant && flat && wide && zigzag, step, ref _oscillationStep);
    }

    /// <summary>Feeds one total gradient-norm point.</summary>
    public void ObserveGradientNorm(long step, double value)
    {
        _ = step;
        if (!double.IsFinite(value))
        {
            return;
        }

        var log = _logGrad.Next(Math.Log(Math.Max(Math.Abs(value), 1e-300)));
        if (_logGrad.Count >= 10)
        {
            _logGradMax = Math.Max(_logGradMax, log);
        }
    }

    /// <summary>Feeds one learning-rate point.</summary>
    public void ObserveLearningRate(long step, double value)
    {
        _ = step;
        if (!double.IsFinite(value))
        {
            return;
        }

        _lrUnchanged = Math.Abs(value - _lr) <= 1e-12 * Math.Abs(value) ? _lrUnchanged + 1 : 1;
        _lr = value;
        _lrMax = Math.Max(_lrMax, value);
    }

    /// <summary>The diagnoses seen so far, active or past (allocates).</summary>
    public IReadOnlyList<FailureSnapshot> Evaluate()
    {
        var list = new List<FailureSnapshot>();
        var level = _loss.Value;
        var band = double.IsNaN(_noise.Value) ? 0 : _noise.Value;
        if (_stallStep is not null)
        {
            var orders = (_logGradMax - _logGradStallMin) / Ln10;
            list.Add(
                new FailureSnapshot(
                    "saddle_point_stall",
                    SaddleStall,
                    _stallStep,
                    $"gradient norm fell {F(orders)} orders of magnitude while the loss stayed flat at {F(_stallLevel)}: a saddle point is likely; momentum, noise or a higher learning rate help escape",
                    Evidence(("gradient_collapse_orders", orders), ("stall_level", _stallLevel), ("loss", level))
                )
            );
        }

        if (_escapeStep is not null)
        {
            list.Add(
                new FailureSnapshot(
                    "saddle_point_escape",
                    false,
                    _escapeStep,
                    $"the loss fell from the stall level {F(_stallLevel)} to {F(_escapeLevel)} and the gradient norm recovered: escaped the saddle",
                    Evidence(("stall_level", _stallLevel), ("escape_level", _escapeLevel))
                )
            );
        }

        if (_prematureStep is not null)
        {
            list.Add(
                new FailureSnapshot(
                    "premature_convergence",
                    PrematureConvergence,
                    _prematureStep,
                    $"the learning rate decayed to {F(_lr)} ({F(_lr / _lrMax)} of its peak {F(_lrMax)}) while the loss is flat at {F(level)}: use warm restarts or a cyclical schedule",
                    Evidence(("lr", _lr), ("lr_max", _lrMax), ("loss", level), ("early_loss", _early))
                )
            );
        }

        if (_oscillationStep is not null)
        {
            list.Add(
                new FailureSnapshot(
                    "oscillation_constant_lr",
                    OscillationAtConstantLr,
                    _oscillationStep,
                    $"the loss stopped improving and fluctuates in a band of ±{F(band)} around {F(level)} at a constant learning rate {F(_lr)}: decay the learning rate",
                    Evidence(("band", band), ("band_relative", band / Math.Max(Math.Abs(level), 1e-300)), ("lr", _lr), ("loss", level))
                )
            );
        }

        return list;
    }

    private bool IsHigh(double level)
    {
        if (_optimum is double optimum && !double.IsNaN(_early))
        {
            return level - optimum > 0.1 * Math.Abs(_early - optimum);
        }

        if (double.IsNaN(_early))
        {
            return false;
        }

        // Progress counts from the chance level ln K when that is below the early loss (a loss above chance made none).
        var start = double.IsNaN(_chance) ? _early : Math.Min(_early, _chance);
        var scale = Math.Max(Math.Max(Math.Abs(start), Math.Abs(level)), 1e-300);
        return (start - level) / scale < 0.5;
    }

    private static bool Track(bool was, bool now, long step, ref long? since)
    {
        if (now && !was)
        {
            since = step;
        }

        return now;
    }

    private static Dictionary<string, double> Evidence(params (string Name, double Value)[] items)
    {
        var evidence = new Dictionary<string, double>();
        foreach ((var name, var value) in items)
        {
            if (double.IsFinite(value))
            {
                evidence[name] = value;
            }
        }

        return evidence;
    }

    private static string F(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
