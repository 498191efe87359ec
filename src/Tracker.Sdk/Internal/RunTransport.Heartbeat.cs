using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>The heartbeat: while a run is quiet, an empty <c>PATCH</c> tells the server its process is alive.</summary>
/// <remarks>
/// The server marks a running run crashed after a while (5 minutes by default) without an ingest or a PATCH. Any request
/// the send loops make counts as contact; after <see cref="RunOptions.HeartbeatInterval"/> without one, the loop that waits
/// for points sends <c>PATCH /api/v1/runs/{id}</c> with <c>{}</c>, one attempt, outside the drain turn.
/// </remarks>
internal sealed partial class RunTransport
{
    private static readonly UpdateRunRequest Heartbeat = new();
    private readonly TimeSpan _heartbeatInterval;
    private long _lastContactMs;

    /// <summary>Heartbeats sent (and answered) so far.</summary>
    public int HeartbeatsSent { get; private set; }

    private void MarkContact() => Volatile.Write(ref _lastContactMs, Environment.TickCount64);

    /// <summary>How long the send loop may wait for points before a heartbeat is due.</summary>
    private TimeSpan HeartbeatWait()
    {
        if (_server is null || _discard || _heartbeatInterval == Timeout.InfiniteTimeSpan) return Timeout.InfiniteTimeSpan;
        var due = Volatile.Read(ref _lastContactMs) + (long)_heartbeatInterval.TotalMilliseconds - Environment.TickCount64;
        return TimeSpan.FromMilliseconds(Math.Clamp(due, 0, int.MaxValue - 1));
    }

    private async Task HeartbeatIfQuietAsync(CancellationToken token)
    {
        if (_server is null || Environment.TickCount64 - Volatile.Read(ref _lastContactMs) < (long)_heartbeatInterval.TotalMilliseconds) return;
        MarkContact();
        lock (_gate)
        {
            // Not yet created, in an outage (the replay loop is probing) or refused: nothing to keep alive.
            if (!_runReady || _serverRefuses || _pending.Count > 0) return;
        }
        try
        {
            var run = await _server.PlainClient.UpdateRunAsync(_header.RunId, Heartbeat, token).ConfigureAwait(false);
            HeartbeatsSent++;
            if (run.State == RunState.Crashed)
            {
                await RunLifecycle.ResumeAsync(_server.PlainClient, run, token).ConfigureAwait(false);
                _warnings.Warn($"run {_header.RunId} had been marked crashed by the server; resumed it");
            }
        }
        catch (Exception e) when (RunServer.IsTransient(e, token) || e is TrackerApiException)
        {
            // A missed heartbeat is harmless: the next one, or the next batch, tries again.
        }
    }
}
