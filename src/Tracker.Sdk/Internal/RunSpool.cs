using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>
/// The run's spool and its ledger: appends batches to the <see cref="SpoolFile"/> (opened on first use) and keeps the queue
/// of batches the server has not acknowledged yet (replayable, oldest first) and the count of parked points (kept for
/// <c>tracker sync</c> after a 4xx about the run or the key).
/// </summary>
internal sealed class RunSpool : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<PendingBatch> _pending = new();
    private readonly string _dir;
    private readonly SpoolHeader _header;
    private readonly bool _online;
    private SpoolFile? _file;
    private long _pendingPoints;
    private long _parkedPoints;
    private bool _refused;

    /// <param name="dir">The spool folder.</param>
    /// <param name="header">The run's identity, written at the top of the file.</param>
    /// <param name="online">True when a server is configured (offline, every batch is simply kept).</param>
    public RunSpool(string dir, SpoolHeader header, bool online)
    {
        _dir = dir;
        _header = header;
        _online = online;
    }

    /// <summary>The spool file's path (whether or not it exists yet).</summary>
    public string Path => SpoolFile.PathFor(_dir, _header.RunId);

    /// <summary>True when unacknowledged batches wait and the server has not refused the run.</summary>
    public bool HasReplayable
    {
        get
        {
            lock (_gate)
                return _pending.Count > 0 && !_refused;
        }
    }

    /// <summary>True once the server refused the run (<see cref="ParkEverything"/>).</summary>
    public bool Refused
    {
        get
        {
            lock (_gate)
                return _refused;
        }
    }

    /// <summary>True when nothing waits for replay and the server has not refused the run.</summary>
    public bool IsClear
    {
        get
        {
            lock (_gate)
                return _pending.Count == 0 && !_refused;
        }
    }

    /// <summary>Creates the file now (offline runs keep everything in it).</summary>
    public void Ensure()
    {
        lock (_gate)
            EnsureLocked();
    }

    /// <summary>Appends a batch: <paramref name="pending"/> for replay, else parked (online) or simply kept (offline).</summary>
    public void Append(ReadOnlySpan<byte> body, int points, bool pending)
    {
        lock (_gate)
            AppendLocked(body, points, pending);
    }

    /// <summary>Appends the batch as pending when others already wait (or <paramref name="behind"/>): order is kept by sending it after them.</summary>
    /// <returns>True when appended; false when the caller may send it directly.</returns>
    public bool AppendIfBacklog(ReadOnlySpan<byte> body, int points, bool behind)
    {
        lock (_gate)
        {
            if (_pending.Count == 0 && !behind)
                return false;
            AppendLocked(body, points, pending: true);
            return true;
        }
    }

    /// <summary>The oldest unacknowledged batch, if any.</summary>
    public bool TryPeekPending(out PendingBatch head)
    {
        lock (_gate)
            return _pending.TryPeek(out head);
    }

    /// <summary>Reads a pending batch's body back.</summary>
    public byte[] Read(in PendingBatch batch)
    {
        SpoolFile file;
        lock (_gate)
            file = _file ?? throw new InvalidOperationException("The spool is closed.");
        return file.Read(batch.Offset, batch.Length);
    }

    /// <summary>Removes the oldest pending batch once the server answered it; <paramref name="parked"/> when it stays for <c>tracker sync</c>.</summary>
    public void Settle(in PendingBatch head, bool parked)
    {
        lock (_gate)
        {
            _pending.Dequeue();
            _pendingPoints -= head.Points;
            if (parked)
                _parkedPoints += head.Points;
        }
    }

    /// <summary>The server refused the run: every pending batch stays in the spool for <c>tracker sync</c>.</summary>
    public void ParkEverything()
    {
        lock (_gate)
        {
            _refused = true;
            _parkedPoints += _pendingPoints;
            _pendingPoints = 0;
            _pending.Clear();
        }
    }

    /// <summary>What is left for <c>tracker sync</c>.</summary>
    public FlushReport Report()
    {
        lock (_gate)
            return new FlushReport(_pendingPoints, _pending.Count, _parkedPoints, _file?.Path);
    }

    /// <summary>Records the final state (for <c>tracker sync</c>) and closes the file; deletes it when <paramref name="delete"/>.</summary>
    public void Close(RunState? finalState, bool delete)
    {
        lock (_gate)
        {
            if (_file is null)
                return;
            if (finalState is { } state && !delete)
                _file.AppendFinish(state);
            _file.Close(delete);
            _file = null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
            _file?.Dispose();
    }

    private void AppendLocked(ReadOnlySpan<byte> body, int points, bool pending)
    {
        var offset = EnsureLocked().Append(body);
        if (pending)
        {
            _pending.Enqueue(new PendingBatch(offset, body.Length, points));
            _pendingPoints += points;
        }
        else if (_online)
        {
            _parkedPoints += points;
        }
    }

    private SpoolFile EnsureLocked() => _file ??= SpoolFile.Open(_dir, _header);
}
