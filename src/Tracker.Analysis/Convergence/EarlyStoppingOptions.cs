namespace Tracker.Analysis.Convergence;

/// <summary>Configuration of the <see cref="EarlyStoppingAdvisor"/>, with Keras and Lightning parameter names and defaults.</summary>
/// <remarks>
/// Keras defaults: monitor <c>val_loss</c>, min_delta 0, patience 0, mode auto, no baseline,
/// start_from_epoch 0. Lightning's extras: stopping_threshold and divergence_threshold (off by
/// default) and check_finite (on by default, as in Lightning). Prechelt's strategies use
/// <see cref="Alpha"/> (GL, PQ), <see cref="Strips"/> (UP's s) and <see cref="StripLength"/> (k).
/// </remarks>
public sealed record EarlyStoppingOptions
{
    /// <summary>The monitored series (Keras <c>monitor</c>).</summary>
    public string Monitor { get; init; } = "val_loss";

    /// <summary>Minimum change that counts as an improvement; its sign is ignored (Keras takes abs).</summary>
    public double MinDelta { get; init; }

    /// <summary>Evaluations without improvement after which to stop (Keras <c>patience</c>).</summary>
    public int Patience { get; init; }

    /// <summary>Direction of improvement; auto infers it from the monitor's name.</summary>
    public MetricMode Mode { get; init; } = MetricMode.Auto;

    /// <summary>A value the metric must beat before the patience counter is reset (Keras <c>baseline</c>).</summary>
    public double? Baseline { get; init; }

    /// <summary>Evaluations to ignore at the start (Keras <c>start_from_epoch</c>), counted in evaluations.</summary>
    public int StartFromEpoch { get; init; }

    /// <summary>Stop as soon as the metric is better than this (Lightning <c>stopping_threshold</c>).</summary>
    public double? StoppingThreshold { get; init; }

    /// <summary>Stop as soon as the metric is worse than this (Lightning <c>divergence_threshold</c>).</summary>
    public double? DivergenceThreshold { get; init; }

    /// <summary>Stop when the metric is NaN or infinite (Lightning <c>check_finite</c>).</summary>
    public bool CheckFinite { get; init; } = true;

    /// <summary>The stopping rule: patience (default) or one of Prechelt's GL, PQ, UP.</summary>
    public StoppingStrategy Strategy { get; init; } = StoppingStrategy.Patience;

    /// <summary>Prechelt's α for GL (percent, default 5) and PQ (default 0.5); null picks the default.</summary>
    public double? Alpha { get; init; }

    /// <summary>Prechelt's s for UP: successive strips with a rising validation error (default 3).</summary>
    public int Strips { get; init; } = 3;

    /// <summary>Prechelt's training-strip length k, in evaluations (default 5, as in the paper).</summary>
    public int StripLength { get; init; } = 5;

    /// <summary>Keras <c>restore_best_weights</c>: a stop advice names the step whose weights to restore (<see cref="EarlyStoppingAdvisor.RestoreStep"/>).</summary>
    public bool RestoreBestWeights { get; init; }

    /// <summary>The α in effect for the chosen strategy.</summary>
    public double EffectiveAlpha => Alpha ?? (Strategy == StoppingStrategy.ProgressQuotient ? 0.5 : 5.0);

    /// <summary>Parses a strategy name: patience, gl, pq or up (case-insensitive).</summary>
    public static StoppingStrategy ParseStrategy(string name) =>
        name?.ToUpperInvariant() switch
        {
            "PATIENCE" => StoppingStrategy.Patience,
            "GL" => StoppingStrategy.GeneralizationLoss,
            "PQ" => StoppingStrategy.ProgressQuotient,
            "UP" => StoppingStrategy.UpStrips,
            _ => throw new ArgumentException($"Unknown stopping strategy '{name}'; use patience, gl, pq or up.", nameof(name)),
        };

    /// <summary>Parses a mode name: auto, min or max (case-insensitive).</summary>
    public static MetricMode ParseMode(string name) =>
        name?.ToUpperInvariant() switch
        {
            "AUTO" => MetricMode.Auto,
            "MIN" => MetricMode.Min,
            "MAX" => MetricMode.Max,
            _ => throw new ArgumentException($"Unknown mode '{name}'; use auto, min or max.", nameof(name)),
        };

    /// <summary>The short strategy name used in snapshots: patience, gl, pq or up.</summary>
    public static string StrategyName(StoppingStrategy strategy) =>
        strategy switch
        {
            StoppingStrategy.GeneralizationLoss => "gl",
            StoppingStrategy.ProgressQuotient => "pq",
            StoppingStrategy.UpStrips => "up",
            _ => "patience",
        };
}
