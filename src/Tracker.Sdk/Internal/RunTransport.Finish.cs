using System.Diagnostics;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>Ending the transport: flush within a time limit, then leave whatever is unsent in the spool.</summary>
internal sealed partial class RunTransport
{
    /// <summary>Stops accepting points and sends what is queued and spooled, for at most <paramref name="timeout"/>.</summary>
    public async Task<FlushReport> CompleteAsync(TimeSpan timeout)
    {
        Volatile.Write(ref _completed, true);
        _ring.Complete();
        var watch = Stopwatch.StartNew();
        var drained = await WaitAsync(_sendLoop, timeout).ConfigureAwait(false);
        while (drained && _server is not null && HasPending() && watch.Elapsed < timeout)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _sendLoop.ConfigureAwait(false);
        await _replayLoop.ConfigureAwait(false);

        // Whatever the send loops had not taken yet goes to the spool, in batches.
        _ring.WaitForWriters(TimeSpan.FromSeconds(1));
        var maxPoints = Math.Clamp(_options.MaxBatchPoints, 1, 10_000);
        int n;
        while ((n = _ring.Peek(maxPoints, out var first, out var second)) > 0)
        {
            RecordSummary(first, second);
            var body = _json.Write(NextSeq(), first, second);
            AppendToSpool(body.Span, n, pending: _server is not null);
            _ring.Advance(n);
        }

        lock (_gate)
        {
            return new FlushReport(_pendingPoints, _pending.Count, _parkedPoints, _spool?.Path);
        }
    }

    /// <summary>Records the final state in the spool (for <c>tracker sync</c>) and closes it; deletes it when <paramref name="delete"/>.</summary>
    public void CloseSpool(RunState? finalState, bool delete)
    {
        lock (_gate)
        {
            if (_spool is null) return;
            if (finalState is { } state && !delete) _spool.AppendFinish(state);
            _spool.Close(delete);
            _spool = null;
        }
    }

    /// <summary>True when the run may be PATCHed to its final state: it exists on the server and nothing is waiting.</summary>
    public bool CanFinishOnServer
    {
        get
        {
            lock (_gate) return _server is not null && _runReady && !_serverRefuses && _pending.Count == 0;
        }
    }

    /// <summary>The server connection (null offline).</summary>
    public RunServer? Server => _server;

    private bool HasPending()
    {
        lock (_gate) return _pending.Count > 0 && !_serverRefuses;
    }

    private static async Task<bool> WaitAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
