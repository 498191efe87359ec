namespace Tracker.Analysis.Convergence;

/// <summary>The asymptotic rate at which the error e_t = f_t − f* goes to zero.</summary>
public enum ConvergenceRateClass
{
    /// <summary>Not enough decreasing data to tell.</summary>
    Unknown,

    /// <summary>e_t ≈ A/t^p.</summary>
    Sublinear,

    /// <summary>e_t ≈ A·cᵗ with 0 &lt; c &lt; 1.</summary>
    Linear,

    /// <summary>e_{t+1}/e_t → 0 (order between 1 and 2, or above).</summary>
    Superlinear,

    /// <summary>e_{t+1} ≈ M·e_t².</summary>
    Quadratic,
}
