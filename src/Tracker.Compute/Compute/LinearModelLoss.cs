namespace Tracker.Compute.Compute;

/// <summary>The per-row loss of a generalized linear model.</summary>
public enum LinearModelLoss
{
    /// <summary>½ (xᵀw − y)².</summary>
    Squared,

    /// <summary>Binary cross-entropy on σ(xᵀw) with y ∈ {0, 1}.</summary>
    Logistic,
}
