using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Tracker.Sdk.Contracts;
using Tracker.Server.Hubs;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Runs;

/// <summary>The one way to change a run's state: writes the state, its <c>state</c> event and the related rows the caller
/// hands over in one transaction, then pushes the change to live dashboards (<see cref="IRunEvents"/>).
/// Scoped: it works on the scope's <see cref="TrackerDbContext"/>, so the caller's own tracked changes commit with it.</summary>
internal sealed class RunLifecycle(TrackerDbContext db, IRunEvents live, TimeProvider time)
{
    /// <summary>A state as events and messages write it (<c>running</c>, <c>finished</c>, …).</summary>
    public static string StateName(RunState state) => state.ToString().ToLowerInvariant();

    /// <summary>Adds new runs, each in state running with its creation event, and <paramref name="related"/> rows (an
    /// experiment's job), together with whatever else the context tracks, in one save; then pushes each new run.</summary>
    public async Task CreateAsync(
        string project,
        IReadOnlyList<RunEntity> runs,
        string message,
        CancellationToken cancellationToken,
        IEnumerable<object>? related = null
    )
    {
        EnsureOwnTransaction();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var run in runs)
        {
            run.State = RunState.Running;
            run.EndedMs = null;
            db.Runs.Add(run);
            db.Events.Add(StateEvent(run.Id, null, RunState.Running, message, now));
        }
        if (related is not null)
            db.AddRange(related);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var run in runs)
            await live.StateChangedAsync(run.Id, project, null, RunState.Running, cancellationToken);
    }

    /// <summary>Saves a loaded (tracked) run, moving it to <paramref name="to"/> when that differs from its state, with
    /// every other change the context tracks, in one save; pushes the change when there was one. An ended state gets
    /// <paramref name="endedMs"/> (now when null) as its end; running clears it. Returns whether the state changed.</summary>
    public async Task<bool> SaveAsync(RunEntity run, string? project, RunState? to, string message, CancellationToken cancellationToken, long? endedMs = null)
    {
        EnsureOwnTransaction();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var from = run.State;
        var changed = to is { } target && target != from;
        if (changed)
        {
            db.Events.Add(StateEvent(run.Id, from, to!.Value, message, now));
            run.State = to.Value;
            run.EndedMs = to == RunState.Running ? null : endedMs ?? now;
        }
        await db.SaveChangesAsync(cancellationToken);
        if (changed)
            await live.StateChangedAsync(run.Id, project, from, to!.Value, cancellationToken);
        return changed;
    }

    /// <summary>Moves a run from <paramref name="from"/> to <paramref name="to"/> with a conditional update (only while it
    /// is still in <paramref name="from"/> and matches <paramref name="when"/>), so concurrent writers (an ingest that
    /// refreshes the heartbeat, another replica) decide the race in the database. <paramref name="related"/> writes its
    /// rows first in the same transaction; when it returns false nothing is written. Returns whether the run moved.</summary>
    public async Task<bool> MoveAsync(
        string runId,
        RunState from,
        RunState to,
        string message,
        CancellationToken cancellationToken,
        Expression<Func<RunEntity, bool>>? when = null,
        Func<CancellationToken, Task<bool>>? related = null,
        bool heartbeat = false
    )
    {
        EnsureOwnTransaction();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (related is not null && !await related(cancellationToken))
            return false;
        var query = db.Runs.Where(r => r.Id == runId && r.State == from);
        if (when is not null)
            query = query.Where(when);
        long? ended = to == RunState.Running ? null : now;
        var moved =
            await query.ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(r => r.State, to).SetProperty(r => r.EndedMs, ended).SetProperty(r => r.UpdatedMs, now);
                    if (heartbeat)
                        s.SetProperty(r => r.HeartbeatMs, now);
                },
                cancellationToken
            ) > 0;
        if (moved)
        {
            db.Events.Add(StateEvent(runId, from, to, message, now));
            await db.SaveChangesAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken); // the related rows stand even when the run did not move
        if (moved)
            await live.StateChangedAsync(runId, null, from, to, cancellationToken);
        return moved;
    }

    /// <summary>Refuses to work inside a caller's transaction: the push would reach dashboards before that transaction
    /// commits, and a reader could then miss the change it was told about. Callers hand their rows over instead.</summary>
    private void EnsureOwnTransaction()
    {
        if (db.Database.CurrentTransaction is not null)
            throw new InvalidOperationException("RunLifecycle commits and pushes a state change itself; call it outside a transaction and pass related rows.");
    }

    private static RunEventEntity StateEvent(string runId, RunState? from, RunState to, string message, long now) =>
        new()
        {
            RunId = runId,
            TimeMs = now,
            Kind = "state",
            FromValue = from is { } f ? StateName(f) : null,
            ToValue = StateName(to),
            Message = message,
        };
}
