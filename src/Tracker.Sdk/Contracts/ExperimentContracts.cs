namespace Tracker.Sdk.Contracts;

/// <summary>Answer of <c>POST /api/v1/projects/{project}/experiments</c>: the run (or the runs of a sweep) now queued.</summary>
/// <param name="RunId">The first run.</param>
/// <param name="RunIds">Every run launched (one per combination of a sweep).</param>
/// <param name="Group">The group the runs share, for a sweep.</param>
public sealed record ExperimentLaunchResponse(string RunId, IReadOnlyList<string> RunIds, string? Group);

/// <summary>The job behind a hosted experiment run.</summary>
/// <param name="RunId">The run it logs to.</param>
/// <param name="State"><c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</param>
/// <param name="Attempts">How many times a worker started it (a restart after an interruption counts).</param>
/// <param name="CreatedAt">When it was queued.</param>
/// <param name="StartedAt">When the last attempt started.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Spec">The experiment spec as validated.</param>
public sealed record ExperimentJobDto(
    string RunId,
    string State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    System.Text.Json.JsonElement Spec
);
