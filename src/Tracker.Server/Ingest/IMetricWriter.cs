namespace Tracker.Server.Ingest;

/// <summary>Stores a batch in one transaction: heartbeat, (run, seq) dedup, series summaries, points, rollups.</summary>
internal interface IMetricWriter
{
    Task<IngestResult> WriteAsync(string runId, MetricBatch batch, long nowMs, CancellationToken cancellationToken);
}
