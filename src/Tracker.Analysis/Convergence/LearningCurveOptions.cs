namespace Tracker.Analysis.Convergence;

/// <summary>Thresholds of the <see cref="LearningCurveClassifier"/>; the defaults are meant for any reasonable run.</summary>
public sealed record LearningCurveOptions
{
    /// <summary>Training points needed before any verdict other than diverging (default 20).</summary>
    public int MinTrainingPoints { get; init; } = 20;

    /// <summary>Validation evaluations needed before overfitting can be judged (default 5).</summary>
    public int MinValidationPoints { get; init; } = 5;

    /// <summary>EMA weight for the training curve (default 0.9: minibatch losses are noisy).</summary>
    public double TrainingSmoothing { get; init; } = 0.9;

    /// <summary>EMA weight for the validation curve (default 0.3: evaluations are few and less noisy).</summary>
    public double ValidationSmoothing { get; init; } = 0.3;

    /// <summary>Share of the total drop still gained in the last quarter of the run below which a curve is flat (default 0.05).</summary>
    public double PlateauShare { get; init; } = 0.05;

    /// <summary>Gain in the last quarter relative to the current level below which a curve is flat (default 0.01).</summary>
    public double PlateauRelative { get; init; } = 0.01;

    /// <summary>Relative drop from the start below which a flat curve is "high" (underfitting) (default 0.5).</summary>
    public double HighLossDrop { get; init; } = 0.5;

    /// <summary>Share of the way to the floor below which a still-decreasing curve is slow whatever its shape (default 0.2).</summary>
    public double SlowDrop { get; init; } = 0.2;

    /// <summary>Noise amplitude over total drop above which a curve without a downward trend oscillates (default 0.5).</summary>
    public double OscillationRatio { get; init; } = 0.5;

    /// <summary>Band of the raw loss over its second half, relative to the loss's level, below which its swings are
    /// sampling noise rather than oscillation however small the drop they are compared with (default 0.2).</summary>
    public double OscillationLevel { get; init; } = 0.2;

    /// <summary>Rise of validation above its minimum, relative to that minimum, that counts as overfitting (default 0.10).</summary>
    public double OverfitRise { get; init; } = 0.10;

    /// <summary>Validation evaluations since its minimum needed to call overfitting (default 3).</summary>
    public int OverfitEvaluations { get; init; } = 3;
}
