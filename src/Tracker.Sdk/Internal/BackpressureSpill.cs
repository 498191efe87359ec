using System.Diagnostics;

namespace Tracker.Sdk.Internal;

/// <summary>
/// The slow path of a write into a full ring: waits up to <see cref="RunOptions.BackpressureTimeout"/> for room, then
/// writes the call's points straight to the spool (for one second after a spill, further overflow spills at once).
/// </summary>
internal sealed class BackpressureSpill
{
    private readonly PointRing _ring;
    private readonly TimeSpan _timeout;
    private readonly RunSpool _spool;
    private readonly BatchSequence _seq;
    private readonly SpoolReplay? _replay;
    private readonly RunWarnings _warnings;
    private readonly Lock _gate = new();
    private readonly BatchJson _json = new();
    private long _spillUntil;
    private bool _completed;

    /// <param name="ring">The ring that was full.</param>
    /// <param name="timeout">How long to wait for room.</param>
    /// <param name="spool">Where spilled points go.</param>
    /// <param name="seq">Sequence numbers of the bodies.</param>
    /// <param name="replay">The replay loop that sends spilled points (null offline: they are simply kept).</param>
    /// <param name="warnings">Where the one warning goes.</param>
    public BackpressureSpill(PointRing ring, TimeSpan timeout, RunSpool spool, BatchSequence seq, SpoolReplay? replay, RunWarnings warnings)
    {
        _ring = ring;
        _timeout = timeout;
        _spool = spool;
        _seq = seq;
        _replay = replay;
        _warnings = warnings;
    }

    /// <summary>The run is finishing: later writes are ignored, with one warning.</summary>
    public void Complete() => Volatile.Write(ref _completed, true);

    /// <summary>Writes <paramref name="points"/> (all of one call) that did not fit into the ring.</summary>
    public void Write(ReadOnlySpan<LoggedPoint> points)
    {
        if (Volatile.Read(ref _completed))
        {
            _warnings.Once("after-finish", "points logged after the run finished are ignored");
            return;
        }
        if (Stopwatch.GetTimestamp() >= Volatile.Read(ref _spillUntil))
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(_timeout.TotalSeconds * Stopwatch.Frequency);
            var spinner = new SpinWait();
            while (!_ring.IsCompleted && Stopwatch.GetTimestamp() < deadline)
            {
                if (_ring.TryWrite(points))
                    return;
                spinner.SpinOnce(sleep1Threshold: 20);
            }
            Volatile.Write(ref _spillUntil, Stopwatch.GetTimestamp() + Stopwatch.Frequency);
            _warnings.Once(
                "spill",
                $"the buffer ({_ring.Capacity} points) stayed full for {_timeout.TotalMilliseconds:0} ms; spilling points to {_spool.Path}"
            );
        }
        Spill(points);
    }

    private void Spill(ReadOnlySpan<LoggedPoint> points)
    {
        if (points.IsEmpty)
            return;
        lock (_gate)
        {
            var body = _json.Write(_seq.Next(), points);
            _spool.Append(body.Span, points.Length, pending: _replay is not null);
        }
        _replay?.Signal();
    }
}
