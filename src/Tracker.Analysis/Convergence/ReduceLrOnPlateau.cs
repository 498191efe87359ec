namespace Tracker.Analysis.Convergence;

/// <summary>PyTorch's <c>ReduceLROnPlateau</c> as a reusable state machine over one learning rate.</summary>
/// <remarks>
/// Each <see cref="Step"/> is PyTorch's <c>scheduler.step(metric)</c>: a better value (by the
/// threshold rule) resets the bad-evaluation count, otherwise it grows; during cooldown the count
/// is held at zero; when it exceeds <c>patience</c> the rate becomes max(lr·factor, min_lr), unless
/// that changes it by no more than eps, and the cooldown starts. NaN is never better, as in PyTorch.
/// </remarks>
public sealed class ReduceLrOnPlateau
{
    private readonly ReduceLrOnPlateauOptions _options;
    private readonly bool _minimize;
    private int _cooldownCounter;

    /// <summary>Creates the scheduler for an optimizer whose learning rate starts at <paramref name="initialLr"/>.</summary>
    public ReduceLrOnPlateau(double initialLr, ReduceLrOnPlateauOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Factor < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Factor should be < 1.0.");
        }

        if (options.Mode == MetricMode.Auto)
        {
            throw new ArgumentException("mode must be min or max.", nameof(options));
        }

        if (options.Patience < 0 || options.Cooldown < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "patience and cooldown must be ≥ 0.");
        }

        _options = options;
        _minimize = options.Mode == MetricMode.Min;
        LearningRate = initialLr;
        Best = _minimize ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>The current learning rate.</summary>
    public double LearningRate { get; private set; }

    /// <summary>The best metric seen (PyTorch's <c>best</c>).</summary>
    public double Best { get; private set; }

    /// <summary>Bad evaluations since the last improvement (PyTorch's <c>num_bad_epochs</c>).</summary>
    public int BadEvaluations { get; private set; }

    /// <summary>Whether the scheduler is in its cooldown period.</summary>
    public bool InCooldown => _cooldownCounter > 0;

    /// <summary>How many times the rate was reduced.</summary>
    public int Reductions { get; private set; }

    /// <summary>Feeds one evaluation of the metric; returns true when the learning rate was reduced.</summary>
    public bool Step(double metric)
    {
        if (IsBetter(metric, Best))
        {
            Best = metric;
            BadEvaluations = 0;
        }
        else
        {
            BadEvaluations++;
        }

        if (InCooldown)
        {
            _cooldownCounter--;
            BadEvaluations = 0;
        }

        if (BadEvaluations <= _options.Patience)
        {
            return false;
        }

        _cooldownCounter = _options.Cooldown;
        BadEvaluations = 0;
        var oldLr = LearningRate;
        var newLr = Math.Max(oldLr * _options.Factor, _options.MinLr);
        if (oldLr - newLr > _options.Eps)
        {
            LearningRate = newLr;
            Reductions++;
            return true;
        }

        return false;
    }

    private bool IsBetter(double a, double best) =>
        (_minimize, _options.ThresholdMode) switch
        {
            (true, ThresholdMode.Rel) => a < best * (1.0 - _options.Threshold),
            (true, ThresholdMode.Abs) => a < best - _options.Threshold,
            (false, ThresholdMode.Rel) => a > best * (_options.Threshold + 1.0),
            _ => a > best + _options.Threshold,
        };
}
