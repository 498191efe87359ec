using Polly;
using Polly.Retry;
using Polly.Timeout;
using Tracker.Sdk.Client;

namespace Tracker.Sdk.Internal;

/// <summary>The replay side of the transport: sends spooled batches oldest first once the server answers again.</summary>
internal sealed partial class RunTransport
{
    private readonly ResiliencePipeline _replayPipeline;
    private readonly SemaphoreSlim _replaySignal = new(0, 1);
    private Task _replayLoop = Task.CompletedTask;
    private bool _serverRefuses;

    /// <summary>Unbounded retries with exponential backoff and jitter, capped at 2 s apart: a cheap probe of a server that is down.</summary>
    private ResiliencePipeline CreateReplayPipeline() => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<HttpRequestException>()
                .Handle<TimeoutRejectedException>()
                .Handle<IOException>()
                .Handle<TrackerApiException>(e => RunServer.Classify(e.StatusCode) == SendStatus.Transient)
                .Handle<OperationCanceledException>(_ => !_stop.IsCancellationRequested),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.RetryBaseDelay,
            MaxDelay = TimeSpan.FromSeconds(2),
        })
        .Build();

    private void SignalReplay()
    {
        if (_server is null) return;
        try
        {
            if (_replaySignal.CurrentCount == 0) _replaySignal.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    private async Task ReplayLoopAsync()
    {
        UnwindDetector.MarkSdkFlow();
        var token = _stop.Token;
        try
        {
            while (true)
            {
                await _replaySignal.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    await _replayPipeline.ExecuteAsync(static (self, ct) => self.ReplayPendingAsync(ct), this, token).ConfigureAwait(false);
                }
                catch (TrackerApiException e)
                {
                    ParkEverything($"server refused the run ({e.Message}); its points stay in {SpoolPath} for `tracker sync`");
                }
                catch (InvalidOperationException e)
                {
                    ParkEverything(e.Message + $" Its points stay in {SpoolPath}.");
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async ValueTask ReplayPendingAsync(CancellationToken token)
    {
        if (_serverRefuses) return;
        if (!_runReady)
        {
            await RunLifecycle.EnsureAsync(_server!.PlainClient, _header, deferred: true, generatedId: false, token).ConfigureAwait(false);
            lock (_gate) _runReady = true;
        }
        var replayed = 0;
        while (true)
        {
            PendingBatch head;
            lock (_gate)
            {
                if (!_pending.TryPeek(out head))
                {
                    if (replayed > 0) _warnings.Info($"server answers again; replayed {replayed} spooled batches");
                    _warnings.Reset("outage");
                    return;
                }
            }
            var body = _spool!.Read(head.Offset, head.Length);
            var result = await _server!.PostBatchAsync(body, retrying: false, token).ConfigureAwait(false);
            if (result.Status == SendStatus.NotRunning && await TryResumeAsync(result, token).ConfigureAwait(false)) continue;
            if (result.Status == SendStatus.Transient)
            {
                throw result.Error ?? result.Problem ?? (Exception)new HttpRequestException("no answer");
            }
            lock (_gate)
            {
                _pending.Dequeue();
                _pendingPoints -= head.Points;
                if (result.Status is SendStatus.NotRunning or SendStatus.Parked) _parkedPoints += head.Points;
            }
            if (result.Status == SendStatus.Stored) OnAnswered(result, body, head.Points);
            else if (result.Status == SendStatus.Rejected) _warnings.Warn($"server rejected a spooled batch of {head.Points} points: {result.Problem?.Message}");
            else _warnings.Once($"parked:{(int?)result.Problem?.StatusCode}", $"server refused a spooled batch ({result.Problem?.Message}); it stays in {SpoolPath} for `tracker sync`");
            replayed++;
        }
    }

    private void ParkEverything(string message)
    {
        _warnings.Once("refused", message);
        lock (_gate)
        {
            _serverRefuses = true;
            _parkedPoints += _pendingPoints;
            _pendingPoints = 0;
            _pending.Clear();
        }
    }
}
