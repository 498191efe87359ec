using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tracker.Server.Telemetry;

/// <summary>The server's instruments on the meter <see cref="MeterName"/> and its activity source: ingest, analysis,
/// the experiment queue and the live hub. Recording costs a few atomic adds per batch, never per point.</summary>
internal sealed class TrackerMetrics
{
    /// <summary>Name of the server's meter and activity source.</summary>
    public const string MeterName = "Tracker.Server";

    /// <summary>Traces of ingest and analysis.</summary>
    public static readonly ActivitySource Source = new(MeterName);

    private readonly Counter<long> _points;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _evaluations;
    private readonly Histogram<double> _analysisLag;
    private readonly Histogram<double> _grainCall;
    private readonly Histogram<double> _experimentDuration;
    private readonly UpDownCounter<long> _hubConnections;
    private readonly Counter<long> _hubPushes;
    private long _queued;
    private long _running;

    public TrackerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _points = meter.CreateCounter<long>("tracker.ingest.points", "{point}", "Metric points stored.");
        _batches = meter.CreateCounter<long>("tracker.ingest.batches", "{batch}", "Ingest batches by outcome (stored, duplicate, refused).");
        _bytes = meter.CreateCounter<long>("tracker.ingest.bytes", "By", "Bytes of ingest request bodies read.");
        _batchDuration = meter.CreateHistogram<double>("tracker.ingest.batch.duration", "s", "Time to store one batch and run its observers.");
        _evaluations = meter.CreateCounter<long>("tracker.analysis.evaluations", "{evaluation}", "Convergence evaluations of runs.");
        _analysisLag = meter.CreateHistogram<double>(
            "tracker.analysis.lag",
            "s",
            "From the arrival of a run's newest point to the evaluation that includes it."
        );
        _grainCall = meter.CreateHistogram<double>(
            "tracker.analysis.grain_call.duration",
            "s",
            "With replicas: one call to a run's analysis grain (a batch's observation), by outcome."
        );
        meter.CreateObservableGauge(
            "tracker.experiments.queue.depth",
            ObserveQueue,
            "{job}",
            "Hosted experiment jobs by state (queued, running), sampled every few seconds."
        );
        _experimentDuration = meter.CreateHistogram<double>("tracker.experiments.duration", "s", "Wall-clock time of experiment attempts by outcome.");
        _hubConnections = meter.CreateUpDownCounter<long>("tracker.hub.connections", "{connection}", "Open connections to the live hub.");
        _hubPushes = meter.CreateCounter<long>("tracker.hub.pushes", "{message}", "Messages pushed to hub groups, by kind.");
    }

    public void BatchStored(int points, TimeSpan duration)
    {
        _points.Add(points);
        _batches.Add(1, new KeyValuePair<string, object?>("outcome", "stored"));
        _batchDuration.Record(duration.TotalSeconds);
    }

    public void BatchNotStored(string outcome, TimeSpan duration)
    {
        _batches.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        _batchDuration.Record(duration.TotalSeconds);
    }

    public void GrainCalled(TimeSpan duration, bool ok) =>
        _grainCall.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", ok ? "ok" : "failed"));

    public void BytesRead(long bytes) => _bytes.Add(bytes);

    public void Evaluated(long lagMs)
    {
        _evaluations.Add(1);
        if (lagMs >= 0)
            _analysisLag.Record(lagMs / 1000.0);
    }

    public void QueueSampled(long queued, long running)
    {
        Volatile.Write(ref _queued, queued);
        Volatile.Write(ref _running, running);
    }

    public void ExperimentEnded(string outcome, TimeSpan duration) =>
        _experimentDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    public void HubConnected() => _hubConnections.Add(1);

    public void HubDisconnected() => _hubConnections.Add(-1);

    public void Pushed(string kind) => _hubPushes.Add(1, new KeyValuePair<string, object?>("kind", kind));

    private IEnumerable<Measurement<long>> ObserveQueue() =>
        [
            new(Volatile.Read(ref _queued), new KeyValuePair<string, object?>("state", "queued")),
            new(Volatile.Read(ref _running), new KeyValuePair<string, object?>("state", "running")),
        ];
}
