using Microsoft.Extensions.Options;
using Tracker.Analysis.Convergence;
using Tracker.Sdk.Contracts;
using Tracker.Server.Hosting;
using Tracker.Server.Ingest;
using Tracker.Server.Telemetry;

namespace Tracker.Server.Analysis;

/// <summary>Runs the convergence analyzers of every run on each committed batch (O(1) per point) and keeps each run's
/// advice and analysis current. Its collaborators do the rest: <see cref="AnalyzerCache"/> holds the analyzers in memory,
/// <see cref="AnalyzerReplay"/> rebuilds one from storage, <see cref="SiblingReference"/> reads the best level the run's
/// siblings reached (refreshed every 30 s), <see cref="VerdictStore"/> stores a changed verdict, and the
/// <see cref="IVerdictListener"/>s hear of it after it committed.</summary>
internal sealed class AnalyzerHost(
    AnalyzerCache cache,
    AnalyzerReplay replay,
    VerdictStore verdicts,
    SiblingReference siblings,
    TimeProvider time,
    IOptions<TrackerOptions> options,
    IEnumerable<IVerdictListener> listeners,
    Artifacts.BestCheckpoints checkpoints,
    TrackerMetrics metrics
) : IRunAnalysis
{
    private readonly IVerdictListener[] _listeners = [.. listeners];

    /// <summary>How often the background pass evaluates runs with new points (pattern, rate, criteria, gradients);
    /// the early-stopping advice itself is updated on every batch, inside the ingest request.</summary>
    public static readonly TimeSpan EvaluationInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a run with a pattern label still waiting to take effect must go without points (at least; four
    /// of its usual intervals between batches when longer) before that label takes effect: a finished run's label is then
    /// the verdict of its final points, whatever the timing of its evaluations.</summary>
    public static readonly TimeSpan SettleAfter = TimeSpan.FromSeconds(2);

    public async ValueTask OnStoredAsync(string runId, MetricBatch batch, CancellationToken cancellationToken)
    {
        if (!options.Value.Analysis.Enabled)
            return;
        var state = cache.GetOrAdd(runId);
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            state.LastUsedMs = time.GetUtcNow().ToUnixTimeMilliseconds(); // not idle while it waits
            if (state.AwaitsEarlierBatch(batch.Seq))
                await AwaitEarlierBatchAsync(state, batch.Seq).ConfigureAwait(false);
            await ObserveAsync(runId, state, batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            state.Observed(batch.Seq);
            state.Gate.Release();
        }
        cache.EvictIdle();
    }

    /// <summary>Waits, with <paramref name="state"/>'s gate released, until the batch numbered before
    /// <paramref name="seq"/> was observed or <see cref="AnalysisOptions.OrderWait"/> has passed; returns holding the gate.</summary>
    private async Task AwaitEarlierBatchAsync(RunAnalysisState state, long seq)
    {
        var deadline = time.GetUtcNow() + options.Value.Analysis.OrderWait;
        while (state.AwaitsEarlierBatch(seq))
        {
            var advanced = state.SeqAdvanced;
            var remaining = deadline - time.GetUtcNow();
            state.Gate.Release();
            var arrived = remaining > TimeSpan.Zero;
            try
            {
                if (arrived)
                    await advanced.WaitAsync(remaining, time).ConfigureAwait(false); // bounded, so not cancelled: an aborted request's batch is still observed
            }
            catch (TimeoutException)
            {
                arrived = false;
            }
            finally
            {
                await state.Gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            if (!arrived)
            {
                state.GapTimedOut();
                return;
            }
        }
    }

    private async Task ObserveAsync(string runId, RunAnalysisState state, MetricBatch batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        state.LastUsedMs = now.ToUnixTimeMilliseconds();
        state.BatchArrived(state.LastUsedMs);
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
        var seenThrough = new long[routes.Length];
        for (var k = 0; k < routes.Length; k++)
        {
            routes[k] = analyzer.Route(batch.Keys[k]);
            seenThrough[k] = state.ReplayedThrough is { } replayed && replayed.TryGetValue(batch.Keys[k], out var through) ? through : long.MinValue;
        }
        var keyIds = batch.KeyIds;
        var steps = batch.Steps;
        var values = batch.Values;
        for (var i = 0; i < batch.Count; i++)
        {
            if (steps[i] > seenThrough[keyIds[i]])
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

    /// <summary>Evaluates every run with points observed since its last evaluation, and settles those that went quiet with
    /// a label waiting (see <see cref="SettleAfter"/>); called by <see cref="AnalysisFlusher"/>.</summary>
    public async Task EvaluatePendingAsync(CancellationToken cancellationToken)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (runId, state) in cache.All)
        {
            if (!(state.Dirty || state.WentQuiet(nowMs, SettleAfter)) || !await state.Gate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
                continue;
            try
            {
                if (state.Analyzer is not null && (state.Dirty || state.WentQuiet(nowMs, SettleAfter)))
                    await EvaluateAsync(runId, state, cancellationToken, settle: !state.Dirty).ConfigureAwait(false);
            }
            finally
            {
                state.Gate.Release();
            }
        }
    }

    private async Task EvaluateAsync(string runId, RunAnalysisState state, CancellationToken cancellationToken, bool settle = false)
    {
        using var activity = TrackerMetrics.Source.StartActivity("analysis evaluate");
        activity?.SetTag("tracker.run_id", runId);
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (nowMs - state.SiblingCheckedMs >= SiblingReference.RefreshInterval.TotalMilliseconds)
        {
            state.SiblingCheckedMs = nowMs;
            state.Analyzer!.SiblingBest = await siblings.BestAsync(runId, state.Analyzer.Options.LossSeries, cancellationToken).ConfigureAwait(false);
        }
        var update = settle ? state.Analyzer!.Settle() : state.Analyzer!.Evaluate();
        state.Snapshot = update.Snapshot;
        if (!settle) // a settling evaluation comes long after the newest point by design: it is not a lag
            metrics.Evaluated(state.NewestPointMs > 0 ? time.GetUtcNow().ToUnixTimeMilliseconds() - state.NewestPointMs : -1);
        await FinishEvaluationAsync(runId, state, update.Changes, cancellationToken).ConfigureAwait(false);
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
        cache.TryGet(runId, out var state) && state.LatestAdvice is { } a
            ? new AdviceDto(a.ShouldStop, a.Reason, a.BestStep, a.Pattern, a.Action, a.ShouldStop ? checkpoints.PathOf(runId) : null)
            : null;

    /// <summary>The run's current analysis, rebuilt from storage when it is not in memory.</summary>
    public async Task<RunAnalysisDto> GetAsync(string runId, CancellationToken cancellationToken)
    {
        var state = cache.GetOrAdd(runId);
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
            return state.Snapshot!.ToDto(state.UpdatedAt);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Forgets a deleted run.</summary>
    public void Forget(string runId) => cache.Forget(runId);

    /// <inheritdoc />
    public Task ForgetAsync(string runId)
    {
        Forget(runId);
        return Task.CompletedTask;
    }

    /// <summary>Rebuilds the run's analyzers from storage into <paramref name="state"/>; returns the verdict changes
    /// relative to the last persisted snapshot.</summary>
    private async Task<IReadOnlyList<VerdictChange>> LoadAsync(string runId, RunAnalysisState state, CancellationToken cancellationToken)
    {
        var (analyzer, update, through) = await replay.ReplayAsync(runId, cancellationToken).ConfigureAwait(false);
        state.Analyzer = analyzer;
        state.ReplayedThrough = through;
        state.SiblingCheckedMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        state.Snapshot = update.Snapshot;
        return update.Changes;
    }

    private async Task PersistAsync(string runId, AnalysisSnapshot snapshot, IReadOnlyList<VerdictChange> changes, CancellationToken cancellationToken)
    {
        if (!await verdicts.SaveAsync(runId, snapshot, changes, cancellationToken).ConfigureAwait(false))
            return; // deleted meanwhile
        foreach (var listener in _listeners)
        {
            await listener.OnVerdictChangedAsync(runId, snapshot, changes, cancellationToken).ConfigureAwait(false);
        }
    }
}
