using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Sdk.Contracts;
using Tracker.Server.Hosting;
using Tracker.Server.Storage;

namespace Tracker.Server.Runs;

/// <summary>Marks running runs whose heartbeat is older than <see cref="RunLivenessOptions.HeartbeatTimeout"/> as crashed.</summary>
internal sealed partial class CrashedRunSweeper(
    IServiceScopeFactory scopes,
    IOptions<TrackerOptions> options,
    TimeProvider time,
    ILogger<CrashedRunSweeper> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Runs.SweepInterval, time);
        do
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(logger, e);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass; returns how many runs were marked crashed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var cutoff = now - (long)options.Value.Runs.HeartbeatTimeout.TotalMilliseconds;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var stale = await db
            .Runs.AsNoTracking()
            .Where(r => r.State == RunState.Running && r.HeartbeatMs < cutoff)
            // Hosted experiments have their own liveness (job leases): a queued one is silent by design.
            .Where(r => !db.ExperimentJobs.Any(j => j.RunId == r.Id && (j.State == "queued" || j.State == "running")))
            .Select(r => new { r.Id, r.HeartbeatMs })
            .ToListAsync(cancellationToken);
        var lifecycle = scope.ServiceProvider.GetRequiredService<RunLifecycle>();
        var marked = 0;
        foreach (var run in stale)
        {
            // Conditional: an ingest that lands meanwhile refreshes the heartbeat and wins.
            var changed = await lifecycle.MoveAsync(
                run.Id,
                RunState.Running,
                RunState.Crashed,
                $"no heartbeat for {TimeSpan.FromMilliseconds(now - run.HeartbeatMs):g}",
                cancellationToken,
                when: r => r.HeartbeatMs < cutoff
            );
            if (!changed)
                continue;
            LogMarkedCrashed(logger, run.Id);
            marked++;
        }
        return marked;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} marked crashed: no heartbeat within the timeout")]
    private static partial void LogMarkedCrashed(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Crashed-run sweep failed; retrying at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
