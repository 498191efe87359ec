namespace Tracker.Sdk.Internal;

/// <summary>
/// The send loops: group commit from the ring. Each loop takes the drain turn, waits for points, hands what accumulated
/// (at most <see cref="RunOptions.MaxBatchPoints"/>) to the <see cref="IBatchSink"/>, gives the turn to the next loop and
/// delivers; so at most <see cref="IBatchSink.MaxConcurrentDeliveries"/> requests are in flight.
/// </summary>
internal sealed class BatchPump : IDisposable
{
    private readonly PointRing _ring;
    private readonly IBatchSink _sink;
    private readonly int _maxPoints;
    private readonly SemaphoreSlim _drainTurn = new(1, 1);
    private Task _loops = Task.CompletedTask;

    public BatchPump(PointRing ring, IBatchSink sink, int maxBatchPoints)
    {
        _ring = ring;
        _sink = sink;
        _maxPoints = Math.Clamp(maxBatchPoints, 1, 10_000);
    }

    /// <summary>All the loops: completes when the ring is completed and drained, or when stopped.</summary>
    public Task Loops => _loops;

    /// <summary>Starts the loops; they end when the ring is completed and empty, or when <paramref name="stop"/> is cancelled.</summary>
    public void Start(CancellationToken stop)
    {
        var loops = Math.Clamp(_sink.MaxConcurrentDeliveries, 1, 4);
        _loops = Task.WhenAll(Enumerable.Range(0, loops).Select(_ => Task.Run(() => LoopAsync(stop), CancellationToken.None)));
    }

    /// <summary>After the loops stopped: hands whatever is still in the ring to <see cref="IBatchSink.KeepLeftovers"/>, in batches.</summary>
    public void DrainLeftovers()
    {
        _ring.WaitForWriters(TimeSpan.FromSeconds(1));
        var json = new BatchJson();
        int n;
        while ((n = _ring.Peek(_maxPoints, out var first, out var second)) > 0)
        {
            _sink.KeepLeftovers(first, second, json);
            _ring.Advance(n);
        }
    }

    private async Task LoopAsync(CancellationToken token)
    {
        UnwindDetector.MarkSdkFlow();
        var json = new BatchJson();
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> body = default;
                var n = 0;
                await _drainTurn.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    var ready = await _ring.WaitToReadAsync(_sink.QuietWait(), token).ConfigureAwait(false);
                    LoggedPoint.Resync();
                    if (ready == false)
                        return;
                    if (ready == true)
                    {
                        n = _ring.Peek(_maxPoints, out var first, out var second);
                        body = _sink.Take(first, second, json);
                        _ring.Advance(n);
                    }
                }
                finally
                {
                    _drainTurn.Release();
                }
                if (!body.IsEmpty)
                    await _sink.DeliverAsync(body, n, token).ConfigureAwait(false);
                else if (n == 0)
                    await _sink.OnQuietAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested) { }
    }

    /// <inheritdoc />
    public void Dispose() => _drainTurn.Dispose();
}
