using Tracker.Sdk.Contracts;
using Tracker.Server.Ingest;

namespace Tracker.Server.Analysis;

/// <summary>The owner of each run's analyzers, as ingest and the API see it: in one process the local
/// <see cref="AnalyzerHost"/>; with replicas (<c>Tracker:Redis</c>) one Orleans grain per run
/// (<see cref="Replicas.GrainRunAnalysis"/>), so every replica's batches of a run meet the same analyzers.</summary>
internal interface IRunAnalysis : IIngestObserver
{
    /// <summary>The advice to send back with an ingest acknowledgement; null before the run was analyzed.</summary>
    AdviceDto? Advice(string runId);

    /// <summary>The run's current analysis, rebuilt from storage when it is not in memory.</summary>
    Task<RunAnalysisDto> GetAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Drops the run's analyzers (its data was reset or deleted); the next batch or read rebuilds them from storage.</summary>
    Task ForgetAsync(string runId);
}
