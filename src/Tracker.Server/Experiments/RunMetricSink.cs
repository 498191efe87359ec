using System.Diagnostics;
using Tracker.Compute.Experiments;
using Tracker.Server.Ingest;

namespace Tracker.Server.Experiments;

/// <summary>Feeds an experiment's points into the normal ingest path (stored, analyzed, broadcast), in batches of up to
/// 5,000 points or every 100 ms, whichever comes first, so a slow experiment is still live. Every batch carries the
/// attempt's lease token (<paramref name="fence"/>): once the lease is lost, nothing more is stored.</summary>
internal sealed class RunMetricSink(string runId, IngestFence fence, MetricIngestor ingestor, TimeProvider time, CancellationToken cancellationToken)
    : IMetricSink,
        IDisposable
{
    private const int MaxBatch = 5_000;
    private static readonly long FlushTicks = Stopwatch.Frequency / 10;
    private readonly MetricBatch _batch = new(MaxBatch) { Fence = fence };
    private long _lastFlush = Stopwatch.GetTimestamp();
    private long _seq;

    /// <summary>Points stored so far.</summary>
    public long Stored { get; private set; }

    /// <summary>A batch was refused because the attempt's lease is no longer the job's.</summary>
    public bool Fenced { get; private set; }

    public void Log(long step, string key, double value)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _batch.Add(_batch.InternKey(key), step, value, time.GetUtcNow().ToUnixTimeMilliseconds());
        if (_batch.Count >= MaxBatch || Stopwatch.GetTimestamp() - _lastFlush >= FlushTicks)
        {
            Flush();
        }
    }

    /// <summary>Stores what is buffered; throws <see cref="OperationCanceledException"/> when the run stopped accepting points.</summary>
    public void Flush()
    {
        _lastFlush = Stopwatch.GetTimestamp();
        if (_batch.Count == 0)
            return;
        _batch.Seq = _seq++;
        // The runner is synchronous on a dedicated worker thread, so blocking here is the intended back-pressure.
        var result = ingestor.IngestAsync(runId, _batch, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).GetAwaiter().GetResult();
        if (result.Outcome is IngestOutcome.Fenced)
        {
            Fenced = true;
            throw new OperationCanceledException($"run {runId}: this attempt lost its lease; its points are refused");
        }
        if (result.Outcome is IngestOutcome.RunNotRunning or IngestOutcome.RunNotFound)
        {
            throw new OperationCanceledException($"run {runId} no longer accepts points ({result.Outcome})");
        }
        Stored += _batch.Count;
        _batch.Clear();
    }

    public void Dispose() => _batch.Dispose();
}
