using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Analysis.Convergence;
using Tracker.Sdk.Contracts;
using Tracker.Server.Hosting;
using Tracker.Server.Ingest;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Analysis;

/// <summary>Runs the convergence analyzers of every run on each committed batch (O(1) per point), stores verdict changes
/// as run events and on the run row, and rebuilds a run's analyzers from its stored points after a restart.</summary>
internal sealed partial class AnalyzerHost(
    IServiceScopeFactory scopes, ITrackerConnectionFactory connections, TimeProvider time,
    IOptions<TrackerOptions> options, AnalysisSettings settings, IEnumerable<IVerdictListener> listeners, ILogger<AnalyzerHost> logger) : IIngestObserver
{
    private readonly ConcurrentDictionary<string, RunAnalysisState> _runs = new(StringComparer.Ordinal);
    private readonly IVerdictListener[] _listeners = [.. listeners];
    private long _nextEvictionMs;

    /// <summary>How often the background pass evaluates runs with new points (pattern, rate, criteria, gradients);
    /// the early-stopping advice itself is updated on every batch, inside the ingest request.</summary>
    public static readonly TimeSpan EvaluationInterval = TimeSpan.FromMilliseconds(200);

    public async ValueTask OnStoredAsync(string runId, MetricBatch batch, CancellationToken cancellationToken)
    {
        if (!options.Value.Analysis.Enabled) return;
        var state = _runs.GetOrAdd(runId, _ => new RunAnalysisState());
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            state.LastUsedMs = now.ToUnixTimeMilliseconds();
            if (state.Analyzer is null)
            {
                // The replay reads this batch too: it was committed before observers run.
                var changes = await LoadAsync(runId, state, cancellationToken).ConfigureAwait(false);
                await FinishEvaluationAsync(runId, state, changes, cancellationToken).ConfigureAwait(false);
                return;
            }
            var analyzer = state.Analyzer;
            // Series names are compared once per batch, not once per point.
            var routes = new SeriesRoute[batch.Keys.Count];
            for (var k = 0; k < routes.Length; k++) routes[k] = analyzer.Route(batch.Keys[k]);
            var keyIds = batch.KeyIds;
            var steps = batch.Steps;
            var values = batch.Values;
            for (var i = 0; i < batch.Count; i++)
            {
                analyzer.Observe(routes[keyIds[i]], steps[i], values[i]);
            }
            var advice = analyzer.Advice();
            var stopFlipped = advice.ShouldStop != (state.LatestAdvice?.ShouldStop ?? false);
            state.LatestAdvice = advice;
            state.Dirty = true;
            if (stopFlipped)
            {
                // The stop advice changed: store and publish it with this very batch. Every other evaluation runs
                // in the background (AnalysisFlusher), off the ingest request's path.
                await EvaluateAsync(runId, state, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            state.Gate.Release();
        }
        EvictIdle();
    }

    /// <summary>Evaluates every run with points observed since its last evaluation (called by <see cref="AnalysisFlusher"/>).</summary>
    public async Task EvaluatePendingAsync(CancellationToken cancellationToken)
    {
        foreach (var (runId, state) in _runs)
        {
            if (!state.Dirty || !await state.Gate.WaitAsync(0, cancellationToken).ConfigureAwait(false)) continue;
            try
            {
                if (state.Dirty && state.Analyzer is not null) await EvaluateAsync(runId, state, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                state.Gate.Release();
            }
        }
    }

    private Task EvaluateAsync(string runId, RunAnalysisState state, CancellationToken cancellationToken)
    {
        var update = state.Analyzer!.Evaluate();
        state.Snapshot = update.Snapshot;
        return FinishEvaluationAsync(runId, state, update.Changes, cancellationToken);
    }

    private async Task FinishEvaluationAsync(string runId, RunAnalysisState state, IReadOnlyList<VerdictChange> changes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        state.UpdatedAt = now;
        state.LatestAdvice = state.Snapshot!.Advice;
        state.Dirty = false;
        if (changes.Count > 0)
        {
            await PersistAsync(runId, state.Snapshot, changes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The advice to send back with an ingest acknowledgement; null before the run was analyzed.</summary>
    public AdviceDto? Advice(string runId) =>
        _runs.TryGetValue(runId, out var state) && state.LatestAdvice is { } a
            ? new AdviceDto(a.ShouldStop, a.Reason, a.BestStep, a.Pattern, a.Action)
            : null;

    /// <summary>The run's current analysis, rebuilt from storage when it is not in memory.</summary>
    public async Task<RunAnalysisDto> GetAsync(string runId, CancellationToken cancellationToken)
    {
        var state = _runs.GetOrAdd(runId, _ => new RunAnalysisState());
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (state.Analyzer is null)
            {
                var changes = await LoadAsync(runId, state, cancellationToken).ConfigureAwait(false);
                await FinishEvaluationAsync(runId, state, changes, cancellationToken).ConfigureAwait(false);
            }
            else if (state.Dirty)
            {
                await EvaluateAsync(runId, state, cancellationToken).ConfigureAwait(false);
            }
            state.LastUsedMs = time.GetUtcNow().ToUnixTimeMilliseconds();
            var s = state.Snapshot!;
            return new RunAnalysisDto(s.Pattern, s.Advice, s.Criteria, s.Rate, s.Gradients, s.Failures, s.Points, s.LastStep, state.UpdatedAt);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Forgets a deleted run.</summary>
    public void Forget(string runId) => _runs.TryRemove(runId, out _);

    /// <summary>Reads the run's analysis settings and replays its stored points in step order; returns the verdict changes
    /// relative to the last persisted snapshot (all of them for a new run).</summary>
    private async Task<IReadOnlyList<VerdictChange>> LoadAsync(string runId, RunAnalysisState state, CancellationToken cancellationToken)
    {
        string? configJson, previousJson, projectDefaults;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
            var row = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
                .Select(r => new { r.ConfigJson, r.AnalysisJson, r.Project!.AnalysisDefaultsJson }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            (configJson, previousJson, projectDefaults) = (row?.ConfigJson, row?.AnalysisJson, row?.AnalysisDefaultsJson);
        }
        var analyzer = new RunAnalyzer(settings.For(projectDefaults, configJson, out var configProblem));
        if (configProblem is not null) LogBadConfig(logger, runId, configProblem);

        await using (var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false))
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = """
                SELECT s.key, p.step, p.value FROM metric_points p JOIN metric_series s ON s.id = p.series_id
                WHERE s.run_id = @run ORDER BY p.step, s.id, p.time_ms
                """;
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = "run";
            parameter.Value = runId;
            cmd.Parameters.Add(parameter);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var routes = new Dictionary<string, SeriesRoute>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(0);
                if (!routes.TryGetValue(key, out var route)) routes[key] = route = analyzer.Route(key);
                analyzer.Observe(route, reader.GetInt64(1), reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2));
            }
        }
        // The stored verdict is the held one: the replayed analyzer holds it too (a different raw label must hold again
        // before it takes effect), and reports its changes relative to it.
        var previous = previousJson is null ? null : JsonSerializer.Deserialize(previousJson, AnalysisStorageJsonContext.Default.AnalysisSnapshot);
        if (previous is not null) analyzer.Resume(previous);
        var update = analyzer.Evaluate();
        state.Analyzer = analyzer;
        state.Snapshot = update.Snapshot;
        return update.Changes;
    }

    private async Task PersistAsync(string runId, AnalysisSnapshot snapshot, IReadOnlyList<VerdictChange> changes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        // The verdict and its events commit together: a reader never sees one without the other.
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.PatternLabel, snapshot.Pattern.Label)
            .SetProperty(r => r.PatternConfidence, snapshot.Pattern.Confidence)
            .SetProperty(r => r.ShouldStop, snapshot.Advice.ShouldStop)
            .SetProperty(r => r.AdviceReason, snapshot.Advice.Reason)
            .SetProperty(r => r.BestStep, snapshot.Advice.BestStep)
            .SetProperty(r => r.UpdatedMs, now) // a new verdict is an update: listings filtered by updatedSince see it
            .SetProperty(r => r.AnalysisJson, JsonSerializer.Serialize(snapshot, AnalysisStorageJsonContext.Default.AnalysisSnapshot)), cancellationToken).ConfigureAwait(false);
        if (updated == 0) return; // deleted meanwhile
        foreach (var change in changes)
        {
            db.Events.Add(new RunEventEntity { RunId = runId, TimeMs = now, Kind = "verdict", FromValue = change.From, ToValue = change.To, Message = $"{change.Kind}: {change.Message}" });
        }
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            await listener.OnVerdictChangedAsync(runId, snapshot, changes, cancellationToken).ConfigureAwait(false);
        }
    }

    private void EvictIdle()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now < Interlocked.Read(ref _nextEvictionMs)) return;
        Interlocked.Exchange(ref _nextEvictionMs, now + 60_000);
        var idle = (long)options.Value.Analysis.IdleEviction.TotalMilliseconds;
        foreach (var (runId, state) in _runs)
        {
            if (now - state.LastUsedMs > idle && state.Gate.Wait(0))
            {
                try
                {
                    _runs.TryRemove(runId, out _);
                }
                finally
                {
                    state.Gate.Release();
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} has an invalid tracker.analysis config ({Problem}); using the defaults")]
    private static partial void LogBadConfig(ILogger logger, string runId, string problem);
}
