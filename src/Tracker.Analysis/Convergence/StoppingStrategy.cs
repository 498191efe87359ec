namespace Tracker.Analysis.Convergence;

/// <summary>How the early-stopping advisor decides that the monitored metric stopped improving.</summary>
public enum StoppingStrategy
{
    /// <summary>Keras/Lightning patience: stop after <c>patience</c> evaluations without improvement.</summary>
    Patience,

    /// <summary>Prechelt's GL_α: stop when the generalization loss 100·(E_va/E_opt − 1) exceeds α.</summary>
    GeneralizationLoss,

    /// <summary>Prechelt's PQ_α: at the end of a training strip, stop when GL/P_k exceeds α.</summary>
    ProgressQuotient,

    /// <summary>Prechelt's UP_s: stop when the validation error rose in s successive strips.</summary>
    UpStrips,
}
