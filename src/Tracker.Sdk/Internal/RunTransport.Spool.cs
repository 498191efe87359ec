using System.Diagnostics;

namespace Tracker.Sdk.Internal;

/// <summary>The spool side of the transport: appends, and the back-pressure path that spills a full buffer to disk.</summary>
internal sealed partial class RunTransport
{
    private readonly Lock _spillGate = new();
    private readonly BatchJson _spillJson = new();
    private long _spillUntil;
    private bool _completed;

    /// <summary>
    /// Slow path of a write into a full buffer: waits up to the back-pressure timeout for room for all the points of the
    /// call, then writes them straight to the spool (for one second after a spill, further overflow spills at once).
    /// </summary>
    public void WriteSlow(ReadOnlySpan<LoggedPoint> points)
    {
        if (Volatile.Read(ref _completed))
        {
            _warnings.Once("after-finish", "points logged after the run finished are ignored");
            return;
        }
        if (Stopwatch.GetTimestamp() >= Volatile.Read(ref _spillUntil))
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(_options.BackpressureTimeout.TotalSeconds * Stopwatch.Frequency);
            var spinner = new SpinWait();
            while (!_ring.IsCompleted && Stopwatch.GetTimestamp() < deadline)
            {
                if (_ring.TryWrite(points)) return;
                spinner.SpinOnce(sleep1Threshold: 20);
            }
            Volatile.Write(ref _spillUntil, Stopwatch.GetTimestamp() + Stopwatch.Frequency);
            _warnings.Once("spill", $"the buffer ({_ring.Capacity} points) stayed full for {_options.BackpressureTimeout.TotalMilliseconds:0} ms; spilling points to {SpoolPath}");
        }
        Spill(points);
    }

    private void Spill(ReadOnlySpan<LoggedPoint> points)
    {
        if (points.IsEmpty) return;
        lock (_spillGate)
        {
            var body = _spillJson.Write(NextSeq(), points);
            AppendToSpool(body.Span, points.Length, pending: _server is not null);
        }
        SignalReplay();
    }

    private void AppendToSpool(ReadOnlySpan<byte> body, int points, bool pending)
    {
        lock (_gate) AppendToSpoolLocked(body, points, pending);
    }

    private void AppendToSpoolLocked(ReadOnlySpan<byte> body, int points, bool pending)
    {
        var spool = EnsureSpoolLocked();
        var offset = spool.Append(body);
        if (pending)
        {
            _pending.Enqueue(new PendingBatch(offset, body.Length, points));
            _pendingPoints += points;
        }
        else if (_server is not null)
        {
            _parkedPoints += points;
        }
    }

    private void EnsureSpool()
    {
        lock (_gate) EnsureSpoolLocked();
    }

    private SpoolFile EnsureSpoolLocked() => _spool ??= SpoolFile.Open(_spoolDir, _header);
}
