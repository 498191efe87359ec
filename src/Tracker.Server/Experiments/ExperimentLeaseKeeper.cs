namespace Tracker.Server.Experiments;

/// <summary>Keeps one attempt's lease alive on its own timer, independent of the solver's thread: it renews many times per
/// lease (so a few slow or failed renewals under CPU starvation do not let it expire), and cancels the attempt when a
/// cancel is asked for or the lease was lost.</summary>
internal sealed partial class ExperimentLeaseKeeper : IAsyncDisposable
{
    /// <summary>Renewals per lease period: a lease survives this many missed renewals, less one.</summary>
    public const int RenewalsPerLease = 6;

    private static readonly TimeSpan MaxInterval = TimeSpan.FromMilliseconds(500);
    private readonly ExperimentJobStore _jobs;
    private readonly ExperimentJobStore.ClaimedJob _job;
    private readonly TimeSpan _lease;
    private readonly CancellationTokenSource _attempt;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ExperimentLeaseKeeper(
        ExperimentJobStore jobs,
        ExperimentJobStore.ClaimedJob job,
        TimeSpan lease,
        CancellationTokenSource attempt,
        TimeProvider time,
        ILogger logger
    )
    {
        (_jobs, _job, _lease, _attempt, _logger) = (jobs, job, lease, attempt, logger);
        _loop = Task.Run(() => LoopAsync(time), CancellationToken.None);
    }

    /// <summary>A cancel of the experiment was asked for (through the API).</summary>
    public bool CancelRequested { get; private set; }

    /// <summary>The job is no longer this attempt's: it was requeued, claimed again, or ended by someone else.</summary>
    public bool LeaseLost { get; private set; }

    /// <summary>Time between renewals: a sixth of the lease, at most 500 ms (which also bounds how late a cancel is seen).</summary>
    public static TimeSpan RenewalInterval(TimeSpan lease) =>
        TimeSpan.FromMilliseconds(Math.Max(10, Math.Min(MaxInterval.TotalMilliseconds, lease.TotalMilliseconds / RenewalsPerLease)));

    private async Task LoopAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(RenewalInterval(_lease), time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    // One renewal may not take longer than half a lease: a hung one is abandoned and the next tick retries.
                    using var bounded = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    bounded.CancelAfter(_lease / 2);
                    var status = await _jobs.RenewAsync(_job, _lease, bounded.Token);
                    if (status == ExperimentJobStore.LeaseStatus.Held)
                        continue;
                    CancelRequested = status == ExperimentJobStore.LeaseStatus.CancelRequested;
                    LeaseLost = status == ExperimentJobStore.LeaseStatus.Lost;
                    await _attempt.CancelAsync();
                    return;
                }
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    LogRenewalFailed(_logger, e, _job.RunId);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the attempt is over.
        }
    }

    /// <summary>Stops renewing (the attempt is over).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease of experiment run {RunId} failed; retrying on the next tick")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string runId);
}
