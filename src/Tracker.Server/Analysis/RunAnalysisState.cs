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
