using Tracker.Sdk.Contracts;

namespace Tracker.Server.Ingest;

/// <summary>What became of an ingest batch.</summary>
internal enum IngestOutcome
{
    Stored,
    Duplicate,
    RunNotFound,
    RunNotRunning,

    /// <summary>The batch carried an experiment lease (<see cref="IngestFence"/>) that is no longer the job's: nothing stored.</summary>
    Fenced,

    /// <summary>The batch would take the run past <c>Tracker:Limits:MaxSeriesPerRun</c>; nothing was stored.</summary>
    TooManySeries,
}

/// <summary>The outcome of a batch and, when the run was not running, its state.</summary>
internal readonly record struct IngestResult(IngestOutcome Outcome, int Accepted = 0, RunState State = RunState.Running);
