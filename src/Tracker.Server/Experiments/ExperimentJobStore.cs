using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Tracker.Sdk.Contracts;
using Tracker.Server.Hosting;
using Tracker.Server.Ingest;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Experiments;

/// <summary>The durable queue of hosted experiments: claims with <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL (so replicas
/// share it), leases renewed while a job runs, expired leases handed to another worker (a restart) or failed.</summary>
/// <remarks>A lease is fenced by its token, the owner and the attempt number the claim wrote: renewals, the attempt's
/// metric batches (<see cref="IngestFence"/>), its reset and its completion all check that the job is still running under
/// that token, so a worker that lost its lease (even to another worker of the same process) writes nothing more.</remarks>
internal sealed class ExperimentJobStore(ITrackerConnectionFactory connections, IServiceScopeFactory scopes, TimeProvider time, Analysis.IRunAnalysis analyzers)
{
    /// <summary>A job claimed by one worker for one attempt; <see cref="Fence"/> is its lease token.</summary>
    public sealed record ClaimedJob(long Id, string RunId, string SpecJson, int Attempts, string Owner)
    {
        /// <summary>The lease token the attempt's writes carry.</summary>
        public IngestFence Fence => new(Id, Owner, Attempts);
    }

    /// <summary>What a renewal found.</summary>
    public enum LeaseStatus
    {
        /// <summary>Still ours, lease extended.</summary>
        Held,

        /// <summary>Still ours, lease extended, and a cancel was asked for.</summary>
        CancelRequested,

        /// <summary>No longer ours (requeued, claimed by another attempt, or ended).</summary>
        Lost,
    }

    public async Task<ClaimedJob?> ClaimAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var skipLocked = connections.Provider == DatabaseProvider.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
        await using var writer = await SqliteWriterAsync(cancellationToken);
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
            ? new ClaimedJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), owner)
            : null;
    }

    /// <summary>Extends the lease while the job is still running under this attempt's token.</summary>
    public async Task<LeaseStatus> RenewAsync(ClaimedJob job, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var writer = await SqliteWriterAsync(cancellationToken);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            UPDATE experiment_jobs SET lease_until_ms = @until
            WHERE id = @id AND lease_owner = @owner AND attempts = @attempt AND state = 'running' RETURNING cancel_requested
            """;
        Add(cmd, "until", now + (long)lease.TotalMilliseconds);
        Add(cmd, "id", job.Id);
        Add(cmd, "owner", job.Owner);
        Add(cmd, "attempt", job.Attempts);
        var result = await cmd.ExecuteScalarAsync(cancellationToken);
        if (result is null or DBNull)
            return LeaseStatus.Lost;
        return Convert.ToBoolean(result, System.Globalization.CultureInfo.InvariantCulture) ? LeaseStatus.CancelRequested : LeaseStatus.Held;
    }

    /// <summary>Ends a job this attempt still owns, and its run, in one transaction; false (nothing written) when the lease was lost.</summary>
    public Task<bool> CompleteAsync(ClaimedJob job, string jobState, RunState runState, string message, string? error, CancellationToken cancellationToken) =>
        EndAsync(job.Id, job.RunId, j => j.LeaseOwner == job.Owner && j.Attempts == job.Attempts, jobState, runState, message, error, cancellationToken);

    /// <summary>Jobs queued and running now (for the queue-depth gauge).</summary>
    public async Task<(long Queued, long Running)> CountAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var counts = await db
            .ExperimentJobs.AsNoTracking()
            .Where(j => j.State == ExperimentJobState.Queued || j.State == ExperimentJobState.Running)
            .GroupBy(j => j.State)
            .Select(g => new { State = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        return (
            counts.FirstOrDefault(c => c.State == ExperimentJobState.Queued)?.Count ?? 0,
            counts.FirstOrDefault(c => c.State == ExperimentJobState.Running)?.Count ?? 0
        );
    }

    /// <summary>Jobs whose worker vanished (lease expired): queued again for a restart, or failed after too many attempts.</summary>
    public async Task<int> RecoverExpiredAsync(int maxAttempts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var expired = await db
            .ExperimentJobs.AsNoTracking()
            .Where(j => j.State == ExperimentJobState.Running && j.LeaseUntilMs < now)
            .ToListAsync(cancellationToken);
        foreach (var job in expired)
        {
            // Each change is conditional on the lease we saw, so two recovering replicas do not both act on it, and a
            // renewal that landed meanwhile wins.
            if (job.Attempts >= maxAttempts)
            {
                await EndAsync(
                    job.Id,
                    job.RunId,
                    j => j.LeaseUntilMs == job.LeaseUntilMs,
                    ExperimentJobState.Failed,
                    RunState.Failed,
                    $"experiment interrupted {job.Attempts} times; giving up",
                    "interrupted too often",
                    cancellationToken
                );
                continue;
            }
            var requeued = await db
                .ExperimentJobs.Where(j => j.Id == job.Id && j.State == ExperimentJobState.Running && j.LeaseUntilMs == job.LeaseUntilMs)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(j => j.State, ExperimentJobState.Queued).SetProperty(j => j.LeaseOwner, (string?)null),
                    cancellationToken
                );
            if (requeued == 1)
            {
                db.Events.Add(
                    new RunEventEntity
                    {
                        RunId = job.RunId,
                        TimeMs = now,
                        Kind = "experiment",
                        Message = "experiment interrupted (its worker stopped renewing its lease); it will restart from the beginning",
                    }
                );
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        return expired.Count;
    }

    /// <summary>Removes what an interrupted attempt logged, so the restart (deterministic for its seed) starts clean;
    /// false (nothing written) when this attempt no longer owns the job.</summary>
    public async Task<bool> ResetRunDataAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var runId = job.RunId;
        var state = await db.Runs.Where(r => r.Id == runId).Select(r => (RunState?)r.State).FirstOrDefaultAsync(cancellationToken);
        if (state is null)
            return true; // the run was deleted meanwhile
        var lifecycle = scope.ServiceProvider.GetRequiredService<Runs.RunLifecycle>();
        var owned = true;
        // The purge and the run's reset commit together; a run that was ended meanwhile is running again, with its event.
        await lifecycle.MoveAsync(runId, state.Value, RunState.Running, "experiment restarted", cancellationToken, related: async ct =>
        {
            owned = await db.ExperimentJobs.AnyAsync(
                j => j.Id == job.Id && j.State == ExperimentJobState.Running && j.LeaseOwner == job.Owner && j.Attempts == job.Attempts,
                ct
            );
            if (!owned)
                return false;
            await Runs.RunMetricsPurge.DeleteAsync(db, runId, ct);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await analyzers.ForgetAsync(runId);
            await db
                .Runs.Where(r => r.Id == runId)
                .ExecuteUpdateAsync(
                    s =>
                        s.SetProperty(r => r.AnalysisJson, (string?)null)
                            .SetProperty(r => r.PatternLabel, (string?)null)
                            .SetProperty(r => r.ShouldStop, false)
                            .SetProperty(r => r.HeartbeatMs, now)
                            .SetProperty(r => r.UpdatedMs, now),
                    ct
                );
            return true;
        });
        return owned;
    }

    private async Task<bool> EndAsync(
        long jobId,
        string runId,
        Expression<Func<ExperimentJobEntity, bool>> stillOwned,
        string jobState,
        RunState runState,
        string message,
        string? error,
        CancellationToken cancellationToken
    )
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var lifecycle = scope.ServiceProvider.GetRequiredService<Runs.RunLifecycle>();
        var ended = false;
        async Task<bool> EndJobAsync(CancellationToken ct) =>
            ended =
                await db
                    .ExperimentJobs.Where(j => j.Id == jobId && j.State == ExperimentJobState.Running)
                    .Where(stillOwned)
                    .ExecuteUpdateAsync(
                        s =>
                            s.SetProperty(j => j.State, jobState)
                                .SetProperty(j => j.FinishedMs, now)
                                .SetProperty(j => j.Error, error)
                                .SetProperty(j => j.LeaseOwner, (string?)null)
                                .SetProperty(j => j.LeaseUntilMs, (long?)null),
                        ct
                    ) > 0;
        var state = await db.Runs.Where(r => r.Id == runId).Select(r => (RunState?)r.State).FirstOrDefaultAsync(cancellationToken);
        if (state is null || state == runState)
            return await EndJobAsync(cancellationToken); // the run was deleted, or already has its end state
        // The job's end and the run's state commit together, and the dashboards hear of it only after the commit; when
        // the lease is no longer this caller's, nothing is written.
        await lifecycle.MoveAsync(runId, state.Value, runState, message, cancellationToken, related: EndJobAsync);
        return ended;
    }

    /// <summary>On SQLite, queues a lease write behind the metric writers (one writer at a time) instead of spinning on
    /// SQLITE_BUSY, which under load could outlast a lease; nothing on PostgreSQL.</summary>
    private async ValueTask<WriterTurn> SqliteWriterAsync(CancellationToken cancellationToken)
    {
        if (connections is not SqliteConnectionFactory sqlite)
            return default;
        await sqlite.WriteLock.WaitAsync(cancellationToken);
        return new WriterTurn(sqlite.WriteLock);
    }

    private readonly struct WriterTurn(SemaphoreSlim? held) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            held?.Release();
            return ValueTask.CompletedTask;
        }
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
