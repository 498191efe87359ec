namespace Tracker.Sdk.Contracts;

/// <summary>Response of <c>GET /api/v1/runs/{id}/analysis</c>: what the server's analyzers say about the run now.</summary>
/// <remarks>Every member is nullable with a default, so that a reader of another version gets null for what was not sent.</remarks>
/// <param name="Pattern">Learning-curve label with confidence, evidence and recommended action.</param>
/// <param name="Advice">Early-stopping advice.</param>
/// <param name="Criteria">Each stopping criterion with value versus threshold.</param>
/// <param name="Rate">Convergence-rate class with fitted constants.</param>
/// <param name="Gradients">Gradient health per layer.</param>
/// <param name="Failures">Failure-mode diagnoses seen so far.</param>
/// <param name="Points">Points analyzed.</param>
/// <param name="LastStep">Largest step analyzed.</param>
/// <param name="UpdatedAt">When the analysis last changed its input.</param>
public sealed record RunAnalysisDto(
    AnalysisPatternDto? Pattern = null,
    AnalysisAdviceDto? Advice = null,
    IReadOnlyList<AnalysisCriterionDto>? Criteria = null,
    AnalysisRateDto? Rate = null,
    AnalysisGradientsDto? Gradients = null,
    IReadOnlyList<AnalysisFailureDto>? Failures = null,
    long? Points = null,
    long? LastStep = null,
    DateTimeOffset? UpdatedAt = null
);

/// <summary>The latest verdict of a run, as shown in run tables.</summary>
/// <param name="Label">Learning-curve label.</param>
/// <param name="Confidence">Confidence of the label in [0, 1].</param>
/// <param name="ShouldStop">Whether the advisor says stop.</param>
/// <param name="Reason">The advice in plain words.</param>
/// <param name="BestStep">Step of the best monitored value.</param>
public sealed record RunVerdictDto(string Label, double Confidence, bool ShouldStop, string? Reason, long? BestStep);

/// <summary>A run in a project's triage view.</summary>
/// <param name="Id">Run id.</param>
/// <param name="Name">Run name.</param>
/// <param name="State">Lifecycle state.</param>
/// <param name="Confidence">Confidence of its label.</param>
/// <param name="ShouldStop">Whether the advisor says stop.</param>
public sealed record ProjectAnalysisRunDto(string Id, string Name, RunState State, double Confidence, bool ShouldStop);

/// <summary>Response of <c>GET /api/v1/projects/{project}/analysis</c>: label counts and the runs per label.</summary>
/// <param name="Counts">Number of runs per label.</param>
/// <param name="Runs">The runs of each label.</param>
public sealed record ProjectAnalysisDto(IReadOnlyDictionary<string, int> Counts, IReadOnlyDictionary<string, IReadOnlyList<ProjectAnalysisRunDto>> Runs);
