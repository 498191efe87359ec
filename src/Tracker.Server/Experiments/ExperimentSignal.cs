namespace Tracker.Server.Experiments;

/// <summary>Wakes this server's idle workers when a job is queued here (other replicas find it on their next poll).</summary>
internal sealed class ExperimentSignal
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify(int jobs) => _signal.Release(jobs);

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
