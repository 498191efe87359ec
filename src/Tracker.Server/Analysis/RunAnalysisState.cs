using Tracker.Analysis.Convergence;

namespace Tracker.Server.Analysis;

/// <summary>One run's analyzers in memory: calls are serialized by <see cref="Gate"/>.</summary>
internal sealed class RunAnalysisState
{
    public SemaphoreSlim Gate { get; } = new(1, 1);
    public RunAnalyzer? Analyzer { get; set; }
    public AnalysisSnapshot? Snapshot { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public long LastUsedMs { get; set; }

    /// <summary>The early-stopping advice after the latest batch (cheap to compute, so always current).</summary>
    public AdviceSnapshot? LatestAdvice { get; set; }

    /// <summary>When the siblings' best level was last read (Unix ms).</summary>
    public long SiblingCheckedMs { get; set; }

    /// <summary>Points were observed since the last full evaluation.</summary>
    public bool Dirty { get; set; }

    /// <summary>Per series, the largest step the replay that built <see cref="Analyzer"/> read from storage; a batch's
    /// points up to it were observed already (the batch committed while the replay read). Null when not rebuilt.</summary>
    public Dictionary<string, long>? ReplayedThrough { get; set; }

    /// <summary>When the newest observed batch arrived (Unix ms): the evaluation's lag is measured from it.</summary>
    public long NewestPointMs { get; set; }

    private TaskCompletionSource _seqAdvanced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The highest batch sequence number observed; null before the first.</summary>
    public long? LastSeq { get; private set; }

    /// <summary>How many times a batch waited in vain for the one numbered before it (a batch that failed, or a client
    /// whose numbers skip): after <see cref="MaxGapTimeouts"/> the run's batches are observed as they come.</summary>
    public int GapTimeouts { get; private set; }

    /// <summary>Waits in vain after which a run's batches are no longer held for their predecessors.</summary>
    public const int MaxGapTimeouts = 3;

    /// <summary>Completes when the next batch is observed (read under <see cref="Gate"/>).</summary>
    public Task SeqAdvanced => _seqAdvanced.Task;

    /// <summary>True when the batch numbered <paramref name="seq"/> overtook the one numbered before it (two requests in
    /// flight) and should wait for it: the analyzers drop points at or before the last step they saw.</summary>
    public bool AwaitsEarlierBatch(long seq) => Analyzer is not null && LastSeq is { } last && seq > last + 1 && GapTimeouts < MaxGapTimeouts;

    /// <summary>Notes that the batch numbered <paramref name="seq"/> was observed, and wakes the batches waiting for it.</summary>
    public void Observed(long seq)
    {
        if (LastSeq is not { } last || seq > last)
            LastSeq = seq;
        var advanced = _seqAdvanced;
        _seqAdvanced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        advanced.TrySetResult();
    }

    /// <summary>Notes a wait for an earlier batch that ended without it.</summary>
    public void GapTimedOut() => GapTimeouts++;

    /// <summary>The run's usual time between batches (ms; an exponential average, 0 before its second batch).</summary>
    public double BatchIntervalMs { get; set; }

    /// <summary>Notes a batch's arrival at <paramref name="nowMs"/> (Unix ms).</summary>
    public void BatchArrived(long nowMs)
    {
        if (NewestPointMs > 0)
        {
            var gap = Math.Max(0, nowMs - NewestPointMs);
            BatchIntervalMs = BatchIntervalMs == 0 ? gap : 0.8 * BatchIntervalMs + 0.2 * gap;
        }
        NewestPointMs = nowMs;
    }

    /// <summary>True when the run's pattern label waits to take effect and no batch came for <paramref name="quietAfter"/>
    /// or four of the run's usual intervals between batches, whichever is longer: the run went quiet.</summary>
    public bool WentQuiet(long nowMs, TimeSpan quietAfter) =>
        Analyzer?.Verdicts.Pending is not null && nowMs - NewestPointMs >= Math.Max(quietAfter.TotalMilliseconds, 4 * BatchIntervalMs);
}
