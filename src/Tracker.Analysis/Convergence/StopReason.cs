namespace Tracker.Analysis.Convergence;

/// <summary>Which rule made the early-stopping advisor signal a stop.</summary>
public enum StopReason
{
    /// <summary>No stop has been signalled.</summary>
    None,

    /// <summary>The monitored value was NaN or infinite (Lightning <c>check_finite</c>).</summary>
    NonFinite,

    /// <summary>The monitored value crossed Lightning's <c>stopping_threshold</c>.</summary>
    StoppingThreshold,

    /// <summary>The monitored value crossed Lightning's <c>divergence_threshold</c>.</summary>
    DivergenceThreshold,

    /// <summary>No improvement for <c>patience</c> evaluations (Keras/Lightning).</summary>
    Patience,

    /// <summary>Prechelt's generalization loss exceeded α.</summary>
    GeneralizationLoss,

    /// <summary>Prechelt's progress quotient exceeded α.</summary>
    ProgressQuotient,

    /// <summary>Prechelt's UP_s: the validation error rose in s successive strips.</summary>
    UpStrips,
}
