using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>The heartbeat: while a run is quiet, an empty <c>PATCH</c> tells the server its process is alive.</summary>
/// <remarks>
/// The server marks a running run crashed after a while (5 minutes by default) without an ingest or a PATCH. Any request
/// the send loops make counts as contact (<see cref="MarkContact"/>); after <see cref="RunOptions.HeartbeatInterval"/>
/// without one, the loop that waits for points sends <c>PATCH /api/v1/runs/{id}</c> with <c>{}</c>, one attempt, outside the drain turn.
/// </remarks>
internal sealed class RunHeartbeat
{
    private static readonly UpdateRunRequest Empty = new();
    private readonly RunServer _server;
    private readonly string _runId;
    private readonly SpoolReplay _replay;
    private readonly RunSpool _spool;
    private readonly RunWarnings _warnings;
    private readonly TimeSpan _interval;
    private long _lastContactMs;
    private int _sent;

    public RunHeartbeat(RunServer server, string runId, TimeSpan interval, SpoolReplay replay, RunSpool spool, RunWarnings warnings)
    {
        _server = server;
        _runId = runId;
        _replay = replay;
        _spool = spool;
        _warnings = warnings;
        _interval = interval > TimeSpan.Zero ? interval : Timeout.InfiniteTimeSpan;
        MarkContact();
    }

    /// <summary>Heartbeats sent (and answered) so far.</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Notes a request to the server: the next heartbeat is due an interval from now.</summary>
    public void MarkContact() => Volatile.Write(ref _lastContactMs, Environment.TickCount64);

    /// <summary>How long the send loop may wait for points before a heartbeat is due.</summary>
    public TimeSpan Wait()
    {
        if (_interval == Timeout.InfiniteTimeSpan)
            return Timeout.InfiniteTimeSpan;
        var due = Volatile.Read(ref _lastContactMs) + (long)_interval.TotalMilliseconds - Environment.TickCount64;
        return TimeSpan.FromMilliseconds(Math.Clamp(due, 0, int.MaxValue - 1));
    }

    /// <summary>Sends a heartbeat when one is due; resumes the run when the server had marked it crashed.</summary>
    public async Task IfQuietAsync(CancellationToken token)
    {
        if (Environment.TickCount64 - Volatile.Read(ref _lastContactMs) < (long)_interval.TotalMilliseconds)
            return;
        MarkContact();
        // Not yet created, in an outage (the replay loop is probing) or refused: nothing to keep alive.
        if (!_replay.RunReady || !_spool.IsClear)
            return;
        try
        {
            var run = await _server.PlainClient.UpdateRunAsync(_runId, Empty, token).ConfigureAwait(false);
            Interlocked.Increment(ref _sent);
            if (run.State == RunState.Crashed)
            {
                await RunLifecycle.ResumeAsync(_server.PlainClient, run, token).ConfigureAwait(false);
                _warnings.Warn($"run {_runId} had been marked crashed by the server; resumed it");
            }
        }
        catch (Exception e) when (RunServer.IsTransient(e, token) || e is TrackerApiException)
        {
            // A missed heartbeat is harmless: the next one, or the next batch, tries again.
        }
    }
}
