namespace Tracker.Analysis.Convergence;

/// <summary>Series names, thresholds and noise handling of the <see cref="StoppingCriterion"/> set.</summary>
/// <remarks>
/// With <see cref="Window"/> 1 every criterion is the textbook one-step test. The default 10
/// makes the loss criteria compare the means of two adjacent 10-point windows (noise shrinks by
/// √10) and requires every criterion to hold at 10 consecutive points: one lucky minibatch
/// cannot trip them.
/// </remarks>
public sealed record StoppingCriteriaOptions
{
    /// <summary>Training loss series (plateau and relative improvement).</summary>
    public string LossSeries { get; init; } = "loss";

    /// <summary>Total gradient-norm series.</summary>
    public string GradientSeries { get; init; } = "grad_norm/total";

    /// <summary>Parameter-change norm series.</summary>
    public string ParameterSeries { get; init; } = "param_delta_norm";

    /// <summary>Loss plateau: mean absolute change of the smoothed loss per point (default 1e-6).</summary>
    public double PlateauThreshold { get; init; } = 1e-6;

    /// <summary>Gradient norm threshold (default 1e-5).</summary>
    public double GradientThreshold { get; init; } = 1e-5;

    /// <summary>Parameter change threshold (default 1e-7).</summary>
    public double ParameterThreshold { get; init; } = 1e-7;

    /// <summary>Validation evaluations without improvement (default 5).</summary>
    public int ValidationPatience { get; init; } = 5;

    /// <summary>Relative improvement per point of the smoothed loss (default 1e-4).</summary>
    public double RelativeThreshold { get; init; } = 1e-4;

    /// <summary>Points spanned by a change and consecutive points a criterion must hold (default 10).</summary>
    public int Window { get; init; } = 10;
}
