using System.Globalization;

namespace Tracker.Analysis.Convergence;

/// <summary>Online early-stopping advice with Keras <c>EarlyStopping</c> semantics, Lightning's extra checks and Prechelt's criteria.</summary>
/// <remarks>
/// <para>Feed every evaluation of the monitored metric to <see cref="Observe"/> (an "epoch" in Keras'
/// terms is one evaluation, whatever its step) and, for Prechelt's PQ, the training loss to
/// <see cref="ObserveTraining"/>. Checks run in Lightning's order: non-finite value, stopping
/// threshold, divergence threshold, then the strategy (Keras patience with baseline and
/// min_delta, or GL/PQ/UP). With <c>CheckFinite = false</c> and no thresholds the patience
/// strategy reproduces Keras 3 exactly, including <c>epoch &gt; 0</c> and the baseline rule (an
/// improvement that does not beat the baseline does not reset the wait and cannot stop on that
/// evaluation). A non-finite value stops even during the <c>start_from_epoch</c> warm-up.</para>
/// <para>Once a stop is signalled the advice is latched (the state is frozen, as in a Keras run
/// that ended); evaluations whose step is not after the last one are ignored (duplicates,
/// out-of-order replays). Prechelt's epochs are the evaluations; the training error of an epoch
/// is the mean training loss logged since the previous evaluation, and strips are
/// <c>StripLength</c> evaluations counted from the first one after the warm-up.</para>
/// </remarks>
public sealed class EarlyStoppingAdvisor
{
    private readonly EarlyStoppingOptions _options;
    private readonly bool _minimize;
    private readonly double _minDelta;
    private readonly double[] _strip;
    private long _lastStep = long.MinValue;
    private int _wait;
    private long _monitored;
    private double _trainSum;
    private int _trainCount;
    private double _lastTrainEpoch = double.NaN;
    private int _stripCount;
    private double _errorOpt = double.PositiveInfinity;
    private double _previousStripEnd = double.NaN;
    private int _upCount;
    private double _lastValue = double.NaN;
    private double _stopValue = double.NaN;
    private double _stopQuantity = double.NaN;
    private long? _firstMonitoredStep;

    /// <summary>Creates an advisor; throws when the options are inconsistent.</summary>
    public EarlyStoppingAdvisor(EarlyStoppingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Patience < 0 || options.StartFromEpoch < 0 || options.StripLength < 1 || options.Strips < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "patience and start_from_epoch must be ≥ 0, k and s ≥ 1.");
        }

        _options = options;
        ResolvedMode = MetricDirection.Resolve(options.Mode, options.Monitor);
        _minimize = ResolvedMode == MetricMode.Min;
        if (!_minimize && options.Strategy is StoppingStrategy.GeneralizationLoss or StoppingStrategy.ProgressQuotient)
        {
            throw new ArgumentException("Prechelt's GL and PQ are defined for errors (mode min).", nameof(options));
        }

        _minDelta = Math.Abs(options.MinDelta);
        _strip = new double[options.StripLength];
        BestValue = _minimize ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>The options in force.</summary>
    public EarlyStoppingOptions Options => _options;

    /// <summary>Min or max, after resolving auto from the monitor's name.</summary>
    public MetricMode ResolvedMode { get; }

    /// <summary>Whether a stop has been signalled (latched).</summary>
    public bool ShouldStop => StopReason != StopReason.None;

    /// <summary>The rule that signalled the stop, or <see cref="StopReason.None"/>.</summary>
    public StopReason StopReason { get; private set; }

    /// <summary>The step of the evaluation that signalled the stop, or null.</summary>
    public long? StoppedStep { get; private set; }

    /// <summary>The best monitored value (Keras' <c>best</c>), ±∞ before the first improvement.</summary>
    public double BestValue { get; private set; }

    /// <summary>The step of the best value, for restore-best; null before the first improvement.</summary>
    public long? BestStep { get; private set; }

    /// <summary>The step whose weights Keras' <c>restore_best_weights</c> restores on a stop: the best step, or, when no
    /// evaluation improved, the first one after the warm-up (Keras keeps that epoch's weights as the best); null when none was
    /// considered (then Keras restores nothing).</summary>
    public long? RestoreStep => BestStep ?? _firstMonitoredStep;

    /// <summary>Keras' wait counter: evaluations since the last counted improvement.</summary>
    public int Wait => _wait;

    /// <summary>Accepted evaluations, including those in the warm-up.</summary>
    public long Evaluations { get; private set; }

    /// <summary>Evaluations dropped because their step was not after the previous one.</summary>
    public long IgnoredEvaluations { get; private set; }

    /// <summary>Prechelt's generalization loss at the last evaluation, in percent (NaN if undefined).</summary>
    public double GeneralizationLoss { get; private set; } = double.NaN;

    /// <summary>Prechelt's training progress P_k at the last strip end, in per mille (NaN if undefined).</summary>
    public double TrainingProgress { get; private set; } = double.NaN;

    /// <summary>Feeds one training-loss point (used by PQ's training strips); O(1), no allocation.</summary>
    public void ObserveTraining(long step, double value)
    {
        _ = step;
        if (double.IsFinite(value))
        {
            _trainSum += value;
            _trainCount++;
        }
    }

    /// <summary>Feeds one evaluation of the monitored metric; returns true when this evaluation signals the stop.</summary>
    public bool Observe(long step, double value)
    {
        if (Evaluations > 0 && step <= _lastStep)
        {
            IgnoredEvaluations++;
            return false;
        }

        var epoch = Evaluations++;
        _lastStep = step;
        var trainEpoch = CloseTrainingEpoch();
        if (ShouldStop)
        {
            return false;
        }

        _lastValue = value;
        if (_options.CheckFinite && !double.IsFinite(value))
        {
            return Stop(StopReason.NonFinite, step, value, double.NaN);
        }

        if (epoch < _options.StartFromEpoch)
        {
            return false;
        }

        if (_options.StoppingThreshold is double stopAt && IsBetter(value, stopAt))
        {
            return Stop(StopReason.StoppingThreshold, step, value, stopAt);
        }

        if (_options.DivergenceThreshold is double divergeAt && IsBetter(divergeAt, value))
        {
            return Stop(StopReason.DivergenceThreshold, step, value, divergeAt);
        }

        _monitored++;
        _firstMonitoredStep ??= step;
        return _options.Strategy switch
        {
            StoppingStrategy.Patience => ObservePatience(epoch, step, value),
            _ => ObservePrechelt(step, value, trainEpoch),
        };
    }

    /// <summary>The advice in plain words, e.g. "val_loss did not improve for 5 evaluations; best 0.231 at step 1200".</summary>
    public string Reason
    {
        get
        {
            var m = _options.Monitor;
            var best = BestStep is long bs ? $"best {Format(BestValue)} at step {bs}" : "no best value yet";
            return StopReason switch
            {
                StopReason.NonFinite => $"{m} is {Format(_stopValue)} at step {StoppedStep}; {best}",
                StopReason.StoppingThreshold =>
                    $"{m} reached the stopping threshold {Format(_stopQuantity)} ({Format(_stopValue)} at step {StoppedStep}); {best}",
                StopReason.DivergenceThreshold =>
                    $"{m} crossed the divergence threshold {Format(_stopQuantity)} ({Format(_stopValue)} at step {StoppedStep}); {best}",
                StopReason.Patience => $"{m} did not improve for {Plural(_wait, "evaluation")}; {best}",
                StopReason.GeneralizationLoss =>
                    $"generalization loss {Format(_stopQuantity)}% exceeded α = {Format(_options.EffectiveAlpha)}% at step {StoppedStep}; {best}",
                StopReason.ProgressQuotient =>
                    $"progress quotient GL/P{_options.StripLength} = {Format(_stopQuantity)} exceeded α = {Format(_options.EffectiveAlpha)} at step {StoppedStep}; {best}",
                StopReason.UpStrips => $"{m} rose in {Plural(_options.Strips, "successive strip")} of {_options.StripLength} evaluations; {best}",
                _ when Evaluations == 0 => $"no {m} evaluations yet",
                _ when _monitored == 0 => $"warming up: {Evaluations} of {_options.StartFromEpoch} evaluations ignored (start_from_epoch)",
                _ when _options.Strategy == StoppingStrategy.Patience && _wait > 0 =>
                    $"{m} has not improved for {Plural(_wait, "evaluation")} (patience {_options.Patience}); {best}",
                _ => $"{m} is improving (last {Format(_lastValue)}); {best}",
            };
        }
    }

    private bool ObservePatience(long epoch, long step, double value)
    {
        _wait++;
        if (IsImprovement(value, BestValue))
        {
            BestValue = value;
            BestStep = step;
            if (_options.Baseline is not double baseline || IsImprovement(value, baseline))
            {
                _wait = 0;
            }

            return false;
        }

        return _wait >= _options.Patience && epoch > 0 && Stop(StopReason.Patience, step, value, _wait);
    }

    private bool ObservePrechelt(long step, double value, double trainEpoch)
    {
        if (IsImprovement(value, BestValue))
        {
            BestValue = value;
            BestStep = step;
        }

        if (double.IsFinite(value) && value < _errorOpt)
        {
            _errorOpt = value;
        }

        GeneralizationLoss = _errorOpt > 0 && double.IsFinite(value) ? 100.0 * ((value / _errorOpt) - 1.0) : double.NaN;
        _strip[_stripCount % _strip.Length] = trainEpoch;
        _stripCount++;
        var stripEnd = _monitored % _options.StripLength == 0;
        var alpha = _options.EffectiveAlpha;
        switch (_options.Strategy)
        {
            case StoppingStrategy.GeneralizationLoss:
                return GeneralizationLoss > alpha && Stop(StopReason.GeneralizationLoss, step, value, GeneralizationLoss);
            case StoppingStrategy.ProgressQuotient:
                if (!stripEnd)
                {
                    return false;
                }

                TrainingProgress = StripProgress();
                var quotient = GeneralizationLoss / TrainingProgress;
                return GeneralizationLoss > 0 && quotient > alpha && Stop(StopReason.ProgressQuotient, step, value, quotient);
            default:
                if (!stripEnd)
                {
                    return false;
                }

                var rose = !double.IsNaN(_previousStripEnd) && IsWorse(value, _previousStripEnd);
                _upCount = rose ? _upCount + 1 : 0;
                _previousStripEnd = value;
                return _upCount >= _options.Strips && Stop(StopReason.UpStrips, step, value, _upCount);
        }
    }

    private double StripProgress()
    {
        var k = _strip.Length;
        if (_stripCount < k)
        {
            return double.NaN;
        }

        var sum = 0.0;
        var min = double.PositiveInfinity;
        foreach (var e in _strip)
        {
            sum += e;
            min = Math.Min(min, e);
        }

        return min > 0 && double.IsFinite(sum) ? 1000.0 * ((sum / (k * min)) - 1.0) : double.NaN;
    }

    private double CloseTrainingEpoch()
    {
        if (_trainCount > 0)
        {
            _lastTrainEpoch = _trainSum / _trainCount;
            _trainSum = 0.0;
            _trainCount = 0;
        }

        return _lastTrainEpoch;
    }

    private bool Stop(StopReason reason, long step, double value, double quantity)
    {
        StopReason = reason;
        StoppedStep = step;
        _stopValue = value;
        _stopQuantity = quantity;
        return true;
    }

    // Keras: monitor_op(current - min_delta, reference) with min_delta negated in min mode.
    private bool IsImprovement(double current, double reference) => _minimize ? current + _minDelta < reference : current - _minDelta > reference;

    private bool IsBetter(double current, double reference) => _minimize ? current < reference : current > reference;

    private bool IsWorse(double current, double reference) => _minimize ? current > reference : current < reference;

    private static string Plural(long n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    internal static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
