namespace Tracker.Analysis.Convergence;

/// <summary>The classic stopping criteria of iterative optimization.</summary>
public enum StoppingCriterionKind
{
    /// <summary>The (smoothed) loss changes by less than the threshold per point.</summary>
    LossPlateau,

    /// <summary>The gradient's L2 norm is below the threshold.</summary>
    GradientNorm,

    /// <summary>The parameter change between iterations is below the threshold.</summary>
    ParameterChange,

    /// <summary>The validation metric did not improve for N evaluations.</summary>
    ValidationPatience,

    /// <summary>The relative improvement (f₋₁ − f)/|f₋₁| of the (smoothed) loss is below the threshold.</summary>
    RelativeImprovement,
}
