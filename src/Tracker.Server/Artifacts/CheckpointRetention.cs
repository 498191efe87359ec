using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Tracker.Analysis.Convergence;
using Tracker.Server.Analysis;
using Tracker.Server.Ingest;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Artifacts;

/// <summary>Keeps a run's checkpoints as its <c>tracker.checkpoints</c> entry says, judged by the early-stopping advisor's
/// monitor and mode: each checkpoint takes the monitor's value at its step (logged before or after the upload), then
/// the best k and the last n stay and the rest are deleted. A pass runs after each checkpoint upload and after each
/// ingested batch that carries the monitor, for runs that have checkpoints (checked once per run and process).</summary>
internal sealed partial class CheckpointRetention(
    IServiceScopeFactory scopes,
    AnalysisSettings settings,
    ArtifactBlobs blobs,
    BestCheckpoints best,
    ILogger<CheckpointRetention> logger
) : IIngestObserver
{
    /// <summary>The <c>kind</c> of a checkpoint artifact.</summary>
    public const string Kind = "checkpoint";

    // Each run this server has seen a batch or a checkpoint of: its state, or null when it has no checkpoint (one query per
    // run and process; an upload replaces the null).
    private readonly ConcurrentDictionary<string, RunCheckpointState?> _runs = new(StringComparer.Ordinal);

    public async ValueTask OnStoredAsync(string runId, MetricBatch batch, CancellationToken cancellationToken)
    {
        if (!_runs.TryGetValue(runId, out var state))
        {
            state = await HasCheckpointsAsync(runId, cancellationToken).ConfigureAwait(false)
                ? await StateAsync(runId, track: true, cancellationToken).ConfigureAwait(false)
                : null;
            _runs.TryAdd(runId, state);
        }
        if (state is null || !batch.Keys.Contains(state.Monitor))
            return;
        await ApplyAsync(runId, state, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a pass after a checkpoint of <paramref name="runId"/> was stored.</summary>
    public async Task OnCheckpointStoredAsync(string runId, CancellationToken cancellationToken)
    {
        var state = await StateAsync(runId, track: true, cancellationToken).ConfigureAwait(false);
        if (state is not null)
            await ApplyAsync(runId, state, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The monitor and its direction for <paramref name="runId"/>, from its project's and its own analysis settings.</summary>
    public async Task<(string Monitor, MetricMode Mode)?> MonitorAsync(string runId, CancellationToken cancellationToken)
    {
        var state = await StateAsync(runId, track: false, cancellationToken).ConfigureAwait(false);
        return state is null ? null : (state.Monitor, state.Mode);
    }

    /// <summary>The run's best checkpoint by the monitor (earliest on ties), or null when no checkpoint has a value yet.</summary>
    public async Task<ArtifactEntity?> BestAsync(TrackerDbContext db, string runId, CancellationToken cancellationToken)
    {
        if (await db.Artifacts.AnyAsync(a => a.RunId == runId && a.Kind == Kind && a.MetricValue == null, cancellationToken).ConfigureAwait(false))
        {
            await OnCheckpointStoredAsync(runId, cancellationToken).ConfigureAwait(false); // values logged while no pass ran
        }
        var state = await StateAsync(runId, track: false, cancellationToken).ConfigureAwait(false);
        if (state is null)
            return null;
        var query = db.Artifacts.AsNoTracking().Where(a => a.RunId == runId && a.Kind == Kind && a.MetricValue != null);
        var ordered = state.Mode == MetricMode.Max ? query.OrderByDescending(a => a.MetricValue) : query.OrderBy(a => a.MetricValue);
        return await ordered.ThenBy(a => a.Step).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets a deleted run.</summary>
    public void Forget(string runId)
    {
        _runs.TryRemove(runId, out _);
        best.Set(runId, null);
    }

    private async Task<bool> HasCheckpointsAsync(string runId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        return await db.Artifacts.AnyAsync(a => a.RunId == runId && a.Kind == Kind, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RunCheckpointState?> StateAsync(string runId, bool track, CancellationToken cancellationToken)
    {
        if (_runs.TryGetValue(runId, out var known) && known is not null)
            return known;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var row = await db
            .Runs.AsNoTracking()
            .Where(r => r.Id == runId)
            .Select(r => new { r.ConfigJson, r.Project!.AnalysisDefaultsJson })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (row is null)
            return null;
        var options = settings.For(row.AnalysisDefaultsJson, row.ConfigJson, out _).EarlyStopping;
        var state = new RunCheckpointState(
            options.Monitor,
            MetricDirection.Resolve(options.Mode, options.Monitor),
            CheckpointPolicy.FromConfig(row.ConfigJson)
        );
        if (!track)
            return state;
        // Replaces a cached "no checkpoints"; keeps a state another request made first (its gate serializes the passes).
        return _runs.AddOrUpdate(runId, state, (_, existing) => existing ?? state)!;
    }

    private async Task ApplyAsync(string runId, RunCheckpointState state, CancellationToken cancellationToken)
    {
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
            var checkpoints = await db.Artifacts.Where(a => a.RunId == runId && a.Kind == Kind).ToListAsync(cancellationToken).ConfigureAwait(false);
            var lastMonitorStep = await FillValuesAsync(db, runId, state.Monitor, checkpoints, cancellationToken).ConfigureAwait(false);
            var doomed = state.Policy is { } policy ? Doomed(checkpoints, policy, state.Mode, lastMonitorStep) : [];
            if (doomed.Count > 0)
                db.Artifacts.RemoveRange(doomed);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            foreach (var gone in doomed)
            {
                await blobs.Store.DeleteAsync(gone.BlobKey, cancellationToken).ConfigureAwait(false);
            }
            if (doomed.Count > 0)
                LogPruned(logger, runId, doomed.Count);
            best.Set(runId, Ranked(checkpoints.Except(doomed), state.Mode).FirstOrDefault()?.Path);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Gives each checkpoint without a value the monitor's value at its step (the latest logged there); returns
    /// the monitor's last step, or null when nothing was logged yet.</summary>
    private static async Task<long?> FillValuesAsync(
        TrackerDbContext db,
        string runId,
        string monitor,
        List<ArtifactEntity> checkpoints,
        CancellationToken cancellationToken
    )
    {
        var series = await db
            .Series.AsNoTracking()
            .Where(s => s.RunId == runId && s.Key == monitor)
            .Select(s => new { s.Id, s.LastStep })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (series is null)
            return null;
        var missing = checkpoints.Where(c => c.MetricValue is null && c.Step is not null).Select(c => c.Step!.Value).Distinct().ToList();
        if (missing.Count == 0)
            return series.LastStep;
        var values = await db
            .Points.AsNoTracking()
            .Where(p => p.SeriesId == series.Id && missing.Contains(p.Step) && p.Value != null)
            .Select(p => new
            {
                p.Step,
                p.Value,
                p.TimeMs,
            })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var byStep = values.GroupBy(v => v.Step).ToDictionary(g => g.Key, g => g.MaxBy(v => v.TimeMs)!.Value);
        foreach (var checkpoint in checkpoints)
        {
            if (checkpoint.MetricValue is null && checkpoint.Step is { } step && byStep.TryGetValue(step, out var value))
                checkpoint.MetricValue = value;
        }
        return series.LastStep;
    }

    /// <summary>Checkpoints outside the best k and the last n. One still waiting for its value (its step is past the
    /// monitor's last logged step) is kept: it may turn out to be the best.</summary>
    internal static List<ArtifactEntity> Doomed(IReadOnlyList<ArtifactEntity> checkpoints, CheckpointPolicy policy, MetricMode mode, long? lastMonitorStep)
    {
        var keep = new HashSet<ArtifactEntity>(ReferenceEqualityComparer.Instance);
        keep.UnionWith(Ranked(checkpoints, mode).Take(policy.KeepBest));
        keep.UnionWith(checkpoints.OrderByDescending(c => c.Step ?? long.MinValue).ThenByDescending(c => c.CreatedMs).Take(policy.KeepLast));
        keep.UnionWith(checkpoints.Where(c => c.MetricValue is null && c.Step is { } s && (lastMonitorStep is null || s > lastMonitorStep)));
        return checkpoints.Where(c => !keep.Contains(c)).ToList();
    }

    private static IEnumerable<ArtifactEntity> Ranked(IEnumerable<ArtifactEntity> checkpoints, MetricMode mode)
    {
        var valued = checkpoints.Where(c => c.MetricValue is { } v && !double.IsNaN(v));
        var ordered = mode == MetricMode.Max ? valued.OrderByDescending(c => c.MetricValue) : valued.OrderBy(c => c.MetricValue);
        return ordered.ThenBy(c => c.Step);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId}: retention deleted {Count} checkpoints")]
    private static partial void LogPruned(ILogger logger, string runId, int count);

    private sealed class RunCheckpointState(string monitor, MetricMode mode, CheckpointPolicy? policy)
    {
        public string Monitor { get; } = monitor;
        public MetricMode Mode { get; } = mode;
        public CheckpointPolicy? Policy { get; } = policy;
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
