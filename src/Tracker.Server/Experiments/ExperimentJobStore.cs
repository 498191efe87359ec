using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Tracker.Sdk.Contracts;
using Tracker.Server.Hosting;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Experiments;

/// <summary>The durable queue of hosted experiments: claims with <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL (so replicas
/// share it), leases renewed while a job runs, expired leases handed to another worker (a restart) or failed.</summary>
internal sealed class ExperimentJobStore(ITrackerConnectionFactory connections, IServiceScopeFactory scopes, TimeProvider time, Analysis.AnalyzerHost analyzers)
{
    public sealed record ClaimedJob(long Id, string RunId, string SpecJson, int Attempts);

    public async Task<ClaimedJob?> ClaimAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var skipLocked = connections.Provider == DatabaseProvider.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            UPDATE experiment_jobs SET state = 'running', attempts = attempts + 1, started_ms = @now, lease_owner = @owner, lease_until_ms = @until
            WHERE id = (SELECT id FROM experiment_jobs WHERE state = 'queued' ORDER BY id LIMIT 1 {skipLocked})
            RETURNING id, run_id, spec_json, attempts
            """;
        Add(cmd, "now", now);
        Add(cmd, "owner", owner);
        Add(cmd, "until", now + (long)lease.TotalMilliseconds);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ClaimedJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3))
            : null;
    }

    /// <summary>Extends the lease; returns null when the job is no longer ours, else whether a cancel was asked for.</summary>
    public async Task<bool?> RenewAsync(long jobId, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE experiment_jobs SET lease_until_ms = @until WHERE id = @id AND lease_owner = @owner AND state = 'running' RETURNING cancel_requested";
        Add(cmd, "until", now + (long)lease.TotalMilliseconds);
        Add(cmd, "id", jobId);
        Add(cmd, "owner", owner);
        var result = await cmd.ExecuteScalarAsync(cancellationToken);
        return result is null or DBNull ? null : Convert.ToBoolean(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Ends a job and its run in one transaction.</summary>
    public async Task CompleteAsync(long jobId, string runId, string jobState, RunState runState, string message, string? error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var job = await db.ExperimentJobs.FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (job is null || run is null) return; // the run was deleted meanwhile
        job.State = jobState;
        job.FinishedMs = now;
        job.Error = error;
        job.LeaseOwner = null;
        job.LeaseUntilMs = null;
        run.EndedMs = now;
        run.UpdatedMs = now;
        await scope.ServiceProvider.GetRequiredService<Runs.RunLifecycle>().SaveAsync(run, null, runState, message, cancellationToken, endedMs: now);
    }

    /// <summary>Jobs whose worker vanished (lease expired): queued again for a restart, or failed after too many attempts.</summary>
    public async Task<int> RecoverExpiredAsync(int maxAttempts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var expired = await db.ExperimentJobs.Where(j => j.State == ExperimentJobState.Running && j.LeaseUntilMs < now).ToListAsync(cancellationToken);
        foreach (var job in expired)
        {
            if (job.Attempts >= maxAttempts)
            {
                await CompleteAsync(job.Id, job.RunId, ExperimentJobState.Failed, RunState.Failed,
                    $"experiment interrupted {job.Attempts} times; giving up", "interrupted too often", cancellationToken);
                continue;
            }
            // Conditional on the lease we saw, so two recovering replicas do not both requeue it.
            var requeued = await db.ExperimentJobs
                .Where(j => j.Id == job.Id && j.State == ExperimentJobState.Running && j.LeaseUntilMs == job.LeaseUntilMs)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ExperimentJobState.Queued).SetProperty(j => j.LeaseOwner, (string?)null), cancellationToken);
            if (requeued == 1)
            {
                db.Events.Add(new RunEventEntity { RunId = job.RunId, TimeMs = now, Kind = "experiment", Message = "experiment interrupted (server stopped); it will restart from the beginning" });
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        return expired.Count;
    }

    /// <summary>Removes what an interrupted attempt logged, so the restart (deterministic for its seed) starts clean.</summary>
    public async Task ResetRunDataAsync(string runId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var state = await db.Runs.Where(r => r.Id == runId).Select(r => (RunState?)r.State).FirstOrDefaultAsync(cancellationToken);
        if (state is null) return; // the run was deleted meanwhile
        var lifecycle = scope.ServiceProvider.GetRequiredService<Runs.RunLifecycle>();
        // The purge and the run's reset commit together; a run that was ended meanwhile is running again, with its event.
        await lifecycle.MoveAsync(runId, state.Value, RunState.Running, "experiment restarted", cancellationToken, related: async ct =>
        {
            await Runs.RunMetricsPurge.DeleteAsync(db, runId, ct);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            analyzers.Forget(runId);
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.AnalysisJson, (string?)null).SetProperty(r => r.PatternLabel, (string?)null).SetProperty(r => r.ShouldStop, false)
                .SetProperty(r => r.HeartbeatMs, now).SetProperty(r => r.UpdatedMs, now), ct);
            return true;
        });
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
