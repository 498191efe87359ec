namespace Tracker.Analysis.Convergence;

/// <summary>The learning-curve patterns (the public vocabulary: see <see cref="PatternVerdict.LabelOf"/>).</summary>
public enum CurvePattern
{
    /// <summary>Too few points to tell.</summary>
    InsufficientData,

    /// <summary>Training and validation decreased and plateaued together.</summary>
    HealthyConvergence,

    /// <summary>Training keeps decreasing while validation rises after its minimum.</summary>
    Overfitting,

    /// <summary>Both plateau at a high loss.</summary>
    Underfitting,

    /// <summary>Wild swings without a downward trend.</summary>
    Oscillating,

    /// <summary>Decreasing very slowly, far from converged.</summary>
    SlowProgress,

    /// <summary>The loss grows without bound or became NaN/Inf.</summary>
    Diverging,

    /// <summary>Healthy and not yet converged.</summary>
    StillImproving,
}
