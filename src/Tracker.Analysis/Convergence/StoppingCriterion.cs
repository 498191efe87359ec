namespace Tracker.Analysis.Convergence;

/// <summary>One stopping criterion evaluated online over one series: O(1) per point, no allocation.</summary>
/// <remarks>
/// <para>Loss plateau and relative improvement compare the mean m of the last <c>W</c> finite
/// loss values with the mean m₀ of the <c>W</c> before them: plateau = |m₀ − m|/W (change per
/// point), relative = (m₀ − m)/(W·|m₀|). Averaging W points divides minibatch noise by √W before
/// the difference is taken. The gradient-norm and parameter-change criteria
/// test the raw value. Every criterion is <see cref="Met"/> only after its test held at
/// <c>W</c> consecutive points, so a single lucky step never trips it; a non-finite value
/// breaks the run. Validation patience counts evaluations since the best one (strict
/// improvement). Points whose step is not after the previous one are ignored.</para>
/// </remarks>
public sealed class StoppingCriterion
{
    private readonly int _window;
    private readonly bool _minimize;
    private readonly double[] _history;
    private long _count;
    private long _finite;
    private int _next;
    private double _earlierSum;
    private double _recentSum;
    private long _lastStep = long.MinValue;
    private int _consecutive;
    private double _best;
    private long _sinceBest;

    /// <summary>Creates a criterion; <paramref name="minimize"/> only matters for validation patience.</summary>
    public StoppingCriterion(StoppingCriterionKind kind, string series, double threshold, int window = 10, bool minimize = true)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        Kind = kind;
        Series = series;
        Threshold = threshold;
        _window = kind == StoppingCriterionKind.ValidationPatience ? 1 : window;
        _minimize = minimize;
        _best = minimize ? double.PositiveInfinity : double.NegativeInfinity;
        if (kind is StoppingCriterionKind.LossPlateau or StoppingCriterionKind.RelativeImprovement)
        {
            _history = new double[2 * window];
        }
        else
        {
            _history = [];
        }
    }

    /// <summary>Which criterion this is.</summary>
    public StoppingCriterionKind Kind { get; }

    /// <summary>The snake_case name used in snapshots, e.g. <c>loss_plateau</c>.</summary>
    public string Name =>
        Kind switch
        {
            StoppingCriterionKind.LossPlateau => "loss_plateau",
            StoppingCriterionKind.GradientNorm => "gradient_norm",
            StoppingCriterionKind.ParameterChange => "parameter_change",
            StoppingCriterionKind.ValidationPatience => "validation_patience",
            _ => "relative_improvement",
        };

    /// <summary>The series this criterion reads.</summary>
    public string Series { get; }

    /// <summary>The threshold (an evaluation count for validation patience).</summary>
    public double Threshold { get; }

    /// <summary>The tested quantity at the last point (NaN until it can be computed).</summary>
    public double Value { get; private set; } = double.NaN;

    /// <summary>Whether the criterion currently holds.</summary>
    public bool Met { get; private set; }

    /// <summary>The step at which the criterion last became met, or null.</summary>
    public long? MetAtStep { get; private set; }

    /// <summary>Feeds one point of <see cref="Series"/>; returns true when the criterion just became met.</summary>
    public bool Observe(long step, double value)
    {
        if (_count > 0 && step <= _lastStep)
        {
            return false;
        }

        _lastStep = step;
        _count++;
        var holds = Kind switch
        {
            StoppingCriterionKind.GradientNorm or StoppingCriterionKind.ParameterChange => TestLevel(value),
            StoppingCriterionKind.ValidationPatience => TestPatience(value),
            _ => TestChange(value),
        };
        _consecutive = holds ? _consecutive + 1 : 0;
        var wasMet = Met;
        Met = _consecutive >= _window;
        if (Met && !wasMet)
        {
            MetAtStep = step;
            return true;
        }

        return false;
    }

    private bool TestLevel(double value)
    {
        Value = value;
        return value < Threshold;
    }

    private bool TestPatience(double value)
    {
        var better = _minimize ? value < _best : value > _best;
        if (better)
        {
            _best = value;
            _sinceBest = 0;
        }
        else if (_best != (_minimize ? double.PositiveInfinity : double.NegativeInfinity))
        {
            _sinceBest++;
        }

        Value = _sinceBest;
        return _sinceBest >= Threshold;
    }

    private bool TestChange(double value)
    {
        if (!double.IsFinite(value))
        {
            Value = double.NaN;
            return false;
        }

        // Ring of the last 2W values; running sums of the older and the newer half, O(1) per
        // point (recomputed exactly once per lap of the ring so rounding cannot drift).
        var length = _history.Length;
        var w = length / 2;
        var slot = _next;
        var middle = slot - w < 0 ? slot - w + length : slot - w;
        if (_finite >= length)
        {
            _earlierSum -= _history[slot];
        }

        if (_finite >= w)
        {
            _earlierSum += _history[middle];
            _recentSum -= _history[middle];
        }

        _history[slot] = value;
        _recentSum += value;
        _finite++;
        _next = slot + 1 == length ? 0 : slot + 1;
        if (_finite < length)
        {
            return false;
        }

        if (_next == 0)
        {
            _earlierSum = 0;
            _recentSum = 0;
            for (var i = 0; i < w; i++)
            {
                _earlierSum += _history[i];
                _recentSum += _history[w + i];
            }
        }

        var earlier = _earlierSum / w;
        var recent = _recentSum / w;
        if (Kind == StoppingCriterionKind.LossPlateau)
        {
            Value = Math.Abs(earlier - recent) / w;
        }
        else
        {
            var improvement = earlier - recent;
            var scale = Math.Abs(earlier) * w;
            Value =
                scale > 0 ? improvement / scale
                : improvement == 0 ? 0
                : Math.CopySign(double.PositiveInfinity, improvement);
        }

        return Value < Threshold;
    }
}
