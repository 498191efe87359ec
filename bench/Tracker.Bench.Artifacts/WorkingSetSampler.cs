namespace Tracker.Bench.Artifacts;

/// <summary>Samples the server's working set every 20 ms on a background thread and keeps the peak.</summary>
internal sealed class WorkingSetSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    public WorkingSetSampler(ServerProcess server)
    {
        _peak = server.WorkingSetBytes;
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                _peak = Math.Max(_peak, server.WorkingSetBytes);
                try
                {
                    await Task.Delay(20, _stop.Token);
                }
                catch (OperationCanceledException) { }
            }
        });
    }

    /// <summary>Stops sampling; the peak working set seen, in bytes.</summary>
    public long Stop()
    {
        _stop.Cancel();
        _loop.Wait();
        return _peak;
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
            Stop();
        _stop.Dispose();
    }
}
