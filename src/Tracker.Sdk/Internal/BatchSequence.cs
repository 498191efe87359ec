namespace Tracker.Sdk.Internal;

/// <summary>The <c>seq</c> of each ingest body: unique across sessions of a resumed run (the session's start in ms, times 10^6, plus a counter).</summary>
internal sealed class BatchSequence
{
    private readonly long _base = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
    private long _count;

    /// <summary>The next sequence number.</summary>
    public long Next() => _base + Interlocked.Increment(ref _count);
}
