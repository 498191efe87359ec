namespace Tracker.Analysis.Convergence;

/// <summary>Configuration of a <see cref="RunAnalyzer"/>: early stopping, series names and each analyzer's options.</summary>
public sealed record RunAnalyzerOptions
{
    /// <summary>Early-stopping advice (Keras/Lightning names; <c>Monitor</c> picks the series).</summary>
    public EarlyStoppingOptions EarlyStopping { get; init; } = new();

    /// <summary>The training-loss series (default <c>loss</c>).</summary>
    public string LossSeries { get; init; } = "loss";

    /// <summary>The validation-loss series for the pattern classifier (default <c>val_loss</c>).</summary>
    public string ValidationSeries { get; init; } = "val_loss";

    /// <summary>The learning-rate series for the failure-mode diagnoses (default <c>lr</c>).</summary>
    public string LearningRateSeries { get; init; } = "lr";

    /// <summary>The classic stopping criteria (the validation criterion reads the monitor).</summary>
    public StoppingCriteriaOptions Criteria { get; init; } = new();

    /// <summary>Gradient-health thresholds and series prefix.</summary>
    public GradientHealthOptions Gradients { get; init; } = new();

    /// <summary>Learning-curve classifier thresholds.</summary>
    public LearningCurveOptions Curves { get; init; } = new();

    /// <summary>The optimal loss when known (e.g. 0 for a distance); the rate estimator then fits f − f*.</summary>
    public double? OptimalLoss { get; init; }

    /// <summary>The number of classes of a classification loss when known (cross-entropy's chance level is ln K); at least 2.</summary>
    public int? NumClasses { get; init; }
}
