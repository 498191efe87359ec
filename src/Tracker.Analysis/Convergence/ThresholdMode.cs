namespace Tracker.Analysis.Convergence;

/// <summary>How PyTorch's <c>ReduceLROnPlateau</c> measures a significant improvement.</summary>
public enum ThresholdMode
{
    /// <summary>Relative: better than best·(1 − threshold) in min mode, best·(1 + threshold) in max mode.</summary>
    Rel,

    /// <summary>Absolute: better than best − threshold in min mode, best + threshold in max mode.</summary>
    Abs,
}
