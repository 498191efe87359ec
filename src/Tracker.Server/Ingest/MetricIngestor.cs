using System.Diagnostics;
using Tracker.Server.Telemetry;

namespace Tracker.Server.Ingest;

/// <summary>The one ingest path every source of points goes through (the REST API, hosted experiments):
/// store the batch in one transaction, then let the observers (analysis, live broadcast) see it.</summary>
internal sealed class MetricIngestor(IMetricWriter writer, IEnumerable<IIngestObserver> observers, TrackerMetrics metrics)
{
    private readonly IIngestObserver[] _observers = [.. observers];

    public async Task<IngestResult> IngestAsync(string runId, MetricBatch batch, long nowMs, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = TrackerMetrics.Source.StartActivity("ingest batch");
        activity?.SetTag("tracker.run_id", runId);
        activity?.SetTag("tracker.points", batch.Count);
        var result = await writer.WriteAsync(runId, batch, nowMs, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == IngestOutcome.Stored)
        {
            foreach (var observer in _observers)
            {
                await observer.OnStoredAsync(runId, batch, cancellationToken).ConfigureAwait(false);
            }
            metrics.BatchStored(result.Accepted, Stopwatch.GetElapsedTime(started));
        }
        else
        {
            metrics.BatchNotStored(OutcomeName(result.Outcome), Stopwatch.GetElapsedTime(started));
        }
        activity?.SetTag("tracker.outcome", OutcomeName(result.Outcome));
        return result;
    }

    private static string OutcomeName(IngestOutcome outcome) =>
        outcome switch
        {
            IngestOutcome.Stored => "stored",
            IngestOutcome.Duplicate => "duplicate",
            _ => "refused",
        };
}
