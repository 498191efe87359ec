namespace Tracker.Server.Ingest;

/// <summary>Sees every batch after its transaction committed (analysis, live broadcast).</summary>
internal interface IIngestObserver
{
    ValueTask OnStoredAsync(string runId, MetricBatch batch, CancellationToken cancellationToken);
}
