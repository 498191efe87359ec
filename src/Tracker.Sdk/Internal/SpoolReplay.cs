using Polly;
using Tracker.Sdk.Client;

namespace Tracker.Sdk.Internal;

/// <summary>
/// The replay loop: once signalled, creates the run if the server was unreachable at start, then sends the spool's pending
/// batches oldest first, one attempt each under <see cref="ReplayBackoff"/>, until none is left or the server refuses the run.
/// </summary>
internal sealed class SpoolReplay : IDisposable
{
    private readonly RunServer _server;
    private readonly SpoolHeader _header;
    private readonly RunSpool _spool;
    private readonly Acknowledgements _acks;
    private readonly RunWarnings _warnings;
    private readonly ResiliencePipeline _pipeline;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private volatile bool _runReady;
    private long _notBeforeMs;
    private Task _loop = Task.CompletedTask;

    public SpoolReplay(
        RunServer server,
        SpoolHeader header,
        bool runReady,
        RunSpool spool,
        Acknowledgements acks,
        RunWarnings warnings,
        TimeSpan retryBaseDelay,
        CancellationToken stop
    )
    {
        _server = server;
        _header = header;
        _runReady = runReady;
        _spool = spool;
        _acks = acks;
        _warnings = warnings;
        _pipeline = ReplayBackoff.Create(retryBaseDelay, stop);
    }

    /// <summary>True once the run exists on the server (created at start, or by this loop after an outage).</summary>
    public bool RunReady => _runReady;

    /// <summary>The loop; completes when stopped.</summary>
    public Task Loop => _loop;

    /// <summary>Starts the loop; it replays at once when the run still has to be created.</summary>
    public void Start(CancellationToken stop)
    {
        _loop = Task.Run(() => LoopAsync(stop), CancellationToken.None);
        if (!_runReady)
            Signal();
    }

    /// <summary>Wakes the loop: something was spooled for replay.</summary>
    public void Signal()
    {
        try
        {
            if (_signal.CurrentCount == 0)
                _signal.Release();
        }
        catch (SemaphoreFullException) { }
    }

    /// <summary>The server asked (<c>Retry-After</c>) not to be called again for <paramref name="wait"/>: the next replay waits that long.</summary>
    public void HoldOff(TimeSpan wait)
    {
        var until = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        long seen;
        do
        {
            seen = Volatile.Read(ref _notBeforeMs);
            if (seen >= until)
                return;
        } while (Interlocked.CompareExchange(ref _notBeforeMs, until, seen) != seen);
    }

    private async Task LoopAsync(CancellationToken token)
    {
        UnwindDetector.MarkSdkFlow();
        try
        {
            while (true)
            {
                await _signal.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    await _pipeline.ExecuteAsync(static (self, ct) => self.ReplayPendingAsync(ct), this, token).ConfigureAwait(false);
                }
                catch (TrackerApiException e)
                {
                    ParkEverything($"server refused the run ({e.Message}); its points stay in {_spool.Path} for `tracker sync`");
                }
                catch (InvalidOperationException e)
                {
                    ParkEverything(e.Message + $" Its points stay in {_spool.Path}.");
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested) { }
    }

    private async ValueTask ReplayPendingAsync(CancellationToken token)
    {
        if (_spool.Refused)
            return;
        var holdOff = Volatile.Read(ref _notBeforeMs) - Environment.TickCount64;
        if (holdOff > 0)
            await Task.Delay(TimeSpan.FromMilliseconds(holdOff), token).ConfigureAwait(false);
        if (!_runReady)
        {
            await RunLifecycle.EnsureAsync(_server.PlainClient, _header, deferred: true, generatedId: false, token).ConfigureAwait(false);
            _runReady = true;
        }
        var replayed = 0;
        while (true)
        {
            if (!_spool.TryPeekPending(out var head))
            {
                if (replayed > 0)
                    _warnings.Info($"server answers again; replayed {replayed} spooled batches");
                _warnings.Reset("outage");
                return;
            }
            var body = _spool.Read(head);
            var result = await _server.PostBatchAsync(body, retrying: false, token).ConfigureAwait(false);
            if (
                result.Status == SendStatus.NotRunning
                && await RunLifecycle.TryResumeCrashedAsync(_server, _header.RunId, _warnings, result.Problem, token).ConfigureAwait(false)
            )
            {
                continue;
            }
            if (result.Status == SendStatus.Transient)
            {
                throw result.Error ?? result.Problem ?? (Exception)new HttpRequestException("no answer");
            }
            _spool.Settle(head, parked: result.Status is SendStatus.NotRunning or SendStatus.Parked);
            if (result.Status == SendStatus.Stored)
                _acks.Stored(result.Ack, head.Points);
            else if (result.Status == SendStatus.Rejected)
                _warnings.Warn($"server rejected a spooled batch of {head.Points} points: {result.Problem?.Message}");
            else
                _warnings.Once(
                    $"parked:{(int?)result.Problem?.StatusCode}",
                    $"server refused a spooled batch ({result.Problem?.Message}); it stays in {_spool.Path} for `tracker sync`"
                );
            replayed++;
        }
    }

    private void ParkEverything(string message)
    {
        _warnings.Once("refused", message);
        _spool.ParkEverything();
    }

    /// <inheritdoc />
    public void Dispose() => _signal.Dispose();
}
