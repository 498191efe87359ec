namespace Tracker.Analysis.Convergence;

/// <summary>Health of the gradient norms of a network (worst first: non-finite, exploding, vanishing).</summary>
public enum GradientStatus
{
    /// <summary>No gradient-norm series seen yet.</summary>
    Unknown,

    /// <summary>Norms are finite, bounded and comparable across depth.</summary>
    Healthy,

    /// <summary>Norms of early layers are tiny relative to late ones, or below an absolute floor.</summary>
    Vanishing,

    /// <summary>Norms are very large or have grown by orders of magnitude.</summary>
    Exploding,

    /// <summary>The latest norm is NaN or infinite.</summary>
    NonFinite,
}
