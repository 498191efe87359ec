namespace Tracker.Server.Ingest;

/// <summary>The one ingest path every source of points goes through (the REST API, hosted experiments):
/// store the batch in one transaction, then let the observers (analysis, live broadcast) see it.</summary>
internal sealed class MetricIngestor(IMetricWriter writer, IEnumerable<IIngestObserver> observers)
{
    private readonly IIngestObserver[] _observers = [.. observers];

    public async Task<IngestResult> IngestAsync(string runId, MetricBatch batch, long nowMs, CancellationToken cancellationToken)
    {
        var result = await writer.WriteAsync(runId, batch, nowMs, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == IngestOutcome.Stored)
        {
            foreach (var observer in _observers)
            {
                await observer.OnStoredAsync(runId, batch, cancellationToken).ConfigureAwait(false);
            }
        }
        return result;
    }
}
