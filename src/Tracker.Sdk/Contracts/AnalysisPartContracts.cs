namespace Tracker.Sdk.Contracts;

// The parts of RunAnalysisDto. Every member is nullable with a default: the dashboard reads an analysis from a server
// older or newer than itself, and a part or a field the server did not send stays null instead of failing the read or
// reading as 0 (the leniency of the hand-written reader these types replace). The server fills them from the analyzers'
// snapshots (Tracker.Server/Analysis/AnalysisContractMapping).

/// <summary>The learning-curve label of a run.</summary>
/// <param name="Label">The label (<c>healthy_convergence</c>, <c>overfitting</c>, …).</param>
/// <param name="Confidence">Confidence of the label in [0, 1].</param>
/// <param name="Evidence">The numbers the label rests on, by name.</param>
/// <param name="Action">What to do, in plain words.</param>
/// <param name="Pending">A label seen but not yet held long enough to replace this one.</param>
public sealed record AnalysisPatternDto(
    string? Label = null,
    double? Confidence = null,
    IReadOnlyDictionary<string, double>? Evidence = null,
    string? Action = null,
    string? Pending = null
);

/// <summary>Early-stopping advice.</summary>
/// <param name="ShouldStop">Whether the advisor says stop.</param>
/// <param name="Reason">The advice in plain words.</param>
/// <param name="BestStep">Step of the best monitored value.</param>
/// <param name="BestValue">The best monitored value.</param>
/// <param name="Monitor">The monitored series.</param>
/// <param name="Strategy">The stopping strategy.</param>
/// <param name="Action">What to do, in plain words.</param>
/// <param name="Pattern">The learning-curve label the advice took into account.</param>
/// <param name="StopStep">The step of the monitored series at which stop was advised, once it was.</param>
public sealed record AnalysisAdviceDto(
    bool ShouldStop = false,
    string? Reason = null,
    long? BestStep = null,
    double? BestValue = null,
    string? Monitor = null,
    string? Strategy = null,
    string? Action = null,
    string? Pattern = null,
    long? StopStep = null
);

/// <summary>One stopping criterion with its value against its threshold.</summary>
/// <param name="Name">Criterion name.</param>
/// <param name="Met">Whether it is met.</param>
/// <param name="Value">Its current value, or null when undefined.</param>
/// <param name="Threshold">Its threshold.</param>
/// <param name="Series">The series it watches.</param>
public sealed record AnalysisCriterionDto(string? Name = null, bool Met = false, double? Value = null, double? Threshold = null, string? Series = null);

/// <summary>The convergence-rate class of the training loss.</summary>
/// <param name="Class">Rate class (<c>linear</c>, <c>sublinear</c>, …).</param>
/// <param name="Constants">The fitted constants, by name.</param>
/// <param name="Confidence">Confidence of the class in [0, 1].</param>
public sealed record AnalysisRateDto(string? Class = null, IReadOnlyDictionary<string, double>? Constants = null, double? Confidence = null);

/// <summary>Gradient health of a run.</summary>
/// <param name="Status">Overall status.</param>
/// <param name="AffectedLayers">The layers that are not healthy.</param>
/// <param name="Layers">Every layer.</param>
/// <param name="EarlyToLateRatio">Early-layer over late-layer norm, or null.</param>
public sealed record AnalysisGradientsDto(
    string? Status = null,
    IReadOnlyList<string>? AffectedLayers = null,
    IReadOnlyList<AnalysisGradientLayerDto>? Layers = null,
    double? EarlyToLateRatio = null
);

/// <summary>One layer's gradient health.</summary>
/// <param name="Name">Layer name.</param>
/// <param name="Depth">Order of first appearance; −1 for the total norm.</param>
/// <param name="Norm">Smoothed norm, or null.</param>
/// <param name="Last">Last raw value, or null when it was not finite.</param>
/// <param name="Status">The layer's status.</param>
public sealed record AnalysisGradientLayerDto(string? Name = null, int? Depth = null, double? Norm = null, double? Last = null, string? Status = null);

/// <summary>A failure-mode diagnosis.</summary>
/// <param name="Name">Failure mode.</param>
/// <param name="Active">Whether it holds now.</param>
/// <param name="Step">Step where it was diagnosed.</param>
/// <param name="Description">What was seen and what to do.</param>
/// <param name="Evidence">The numbers it rests on, by name.</param>
public sealed record AnalysisFailureDto(
    string? Name = null,
    bool Active = false,
    long? Step = null,
    string? Description = null,
    IReadOnlyDictionary<string, double>? Evidence = null
);
