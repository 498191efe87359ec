namespace Tracker.Sdk.Internal;

/// <summary>
/// The direct send of a batch (online): POSTs it with the retrying client, or spools it behind the backlog so that order
/// is kept; a transient failure spools it for <see cref="SpoolReplay"/>, a refusal parks or drops it with one warning.
/// </summary>
internal sealed class BatchDelivery
{
    private readonly RunServer _server;
    private readonly string _runId;
    private readonly RunSpool _spool;
    private readonly SpoolReplay _replay;
    private readonly RunHeartbeat _heartbeat;
    private readonly Acknowledgements _acks;
    private readonly RunWarnings _warnings;

    public BatchDelivery(
        RunServer server,
        string runId,
        RunSpool spool,
        SpoolReplay replay,
        RunHeartbeat heartbeat,
        Acknowledgements acks,
        RunWarnings warnings
    )
    {
        _server = server;
        _runId = runId;
        _spool = spool;
        _replay = replay;
        _heartbeat = heartbeat;
        _acks = acks;
        _warnings = warnings;
    }

    /// <summary>Sends one serialized batch of <paramref name="points"/> points; never loses it (it ends acknowledged, spooled or reported).</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> body, int points, CancellationToken token)
    {
        if (_spool.AppendIfBacklog(body.Span, points, behind: !_replay.RunReady))
        {
            _replay.Signal();
            return;
        }
        SendResult result;
        _heartbeat.MarkContact();
        try
        {
            result = await _server.PostBatchAsync(body, retrying: true, token).ConfigureAwait(false);
            if (
                result.Status == SendStatus.NotRunning
                && await RunLifecycle.TryResumeCrashedAsync(_server, _runId, _warnings, result.Problem, token).ConfigureAwait(false)
            )
            {
                result = await _server.PostBatchAsync(body, retrying: true, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _spool.Append(body.Span, points, pending: true);
            throw;
        }
        switch (result.Status)
        {
            case SendStatus.Stored:
                _acks.Stored(result.Ack, points);
                break;
            case SendStatus.Transient:
                _warnings.Once("outage", $"server unreachable ({Describe(result)}); spooling to {_spool.Path} until it answers");
                _spool.Append(body.Span, points, pending: true);
                if (result.Problem?.RetryAfter is { } wait)
                    _replay.HoldOff(wait);
                _replay.Signal();
                break;
            case SendStatus.Rejected:
                _warnings.Warn($"server rejected a batch of {points} points and it was dropped: {result.Problem?.Message}");
                break;
            default:
                _warnings.Once(
                    $"parked:{(int?)result.Problem?.StatusCode}",
                    $"server refused a batch ({result.Problem?.Message}); it is kept in {_spool.Path} for `tracker sync`, and the run continues"
                );
                _spool.Append(body.Span, points, pending: false);
                break;
        }
    }

    private static string Describe(in SendResult result) => result.Problem?.Message ?? result.Error?.Message ?? "no answer";
}
