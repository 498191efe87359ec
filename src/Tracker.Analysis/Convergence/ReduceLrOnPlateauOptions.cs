namespace Tracker.Analysis.Convergence;

/// <summary>Configuration of <see cref="ReduceLrOnPlateau"/>, with PyTorch's names and defaults.</summary>
public sealed record ReduceLrOnPlateauOptions
{
    /// <summary>Min (default) or max; auto is not accepted, as in PyTorch.</summary>
    public MetricMode Mode { get; init; } = MetricMode.Min;

    /// <summary>Factor by which the learning rate is multiplied (default 0.1, must be &lt; 1).</summary>
    public double Factor { get; init; } = 0.1;

    /// <summary>Bad evaluations tolerated before reducing (default 10).</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Threshold for a significant improvement (default 1e-4).</summary>
    public double Threshold { get; init; } = 1e-4;

    /// <summary>Relative (default) or absolute threshold.</summary>
    public ThresholdMode ThresholdMode { get; init; } = ThresholdMode.Rel;

    /// <summary>Evaluations to wait after a reduction before counting bad ones again (default 0).</summary>
    public int Cooldown { get; init; }

    /// <summary>Lower bound on the learning rate (default 0).</summary>
    public double MinLr { get; init; }

    /// <summary>A reduction smaller than this is skipped (default 1e-8).</summary>
    public double Eps { get; init; } = 1e-8;
}
