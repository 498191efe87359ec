using Microsoft.AspNetCore.SignalR;
using Tracker.Analysis.Convergence;
using Tracker.Sdk.Contracts;
using Tracker.Server.Ingest;
using Tracker.Server.Runs;

namespace Tracker.Server.Hubs;

/// <summary>After each stored batch: pushes the new points per series to the run's subscribers (a large burst
/// downsampled to <see cref="MaxPointsPerSeries"/>) and the summary delta to the project's subscribers.
/// Does nothing when nobody listens; a failed push never fails the ingest.</summary>
internal sealed partial class LiveBroadcaster(
    IHubContext<RunsHub> hub,
    LiveSubscriptions subscriptions,
    RunProjectLookup runs,
    Telemetry.TrackerMetrics metrics,
    ILogger<LiveBroadcaster> logger
) : IIngestObserver
{
    /// <summary>At most this many points per series and batch reach the browser.</summary>
    public const int MaxPointsPerSeries = 500;

    public async ValueTask OnStoredAsync(string runId, MetricBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            var runGroup = LiveGroups.Run(runId);
            var toRun = subscriptions.HasListeners(runGroup);
            var project = await runs.FindAsync(runId, cancellationToken).ConfigureAwait(false);
            var projectGroup = project is null ? null : LiveGroups.Project(project);
            var toProject = projectGroup is not null && subscriptions.HasListeners(projectGroup);
            if (!toRun && !toProject)
                return;

            var series = Split(batch);
            if (toRun)
            {
                var message = new LivePoints(runId, series.Select(s => s.ToLive(MaxPointsPerSeries)).ToList());
                await hub.Clients.Group(runGroup).SendAsync(LiveHub.Points, message, cancellationToken).ConfigureAwait(false);
                metrics.Pushed("points");
            }
            if (toProject)
            {
                var deltas = series.ToDictionary(s => s.Key, s => s.Delta(), StringComparer.Ordinal);
                await hub
                    .Clients.Group(projectGroup!)
                    .SendAsync(LiveHub.Summary, new LiveRunSummary(runId, project!, deltas), cancellationToken)
                    .ConfigureAwait(false);
                metrics.Pushed("summary");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPushFailed(logger, runId, e);
        }
    }

    /// <summary>The batch's points grouped by key, each group in batch order.</summary>
    internal static List<SeriesBurst> Split(MetricBatch batch)
    {
        var keyCount = batch.Keys.Count;
        var counts = new int[keyCount];
        for (var i = 0; i < batch.Count; i++)
            counts[batch.KeyIds[i]]++;
        var bursts = new List<SeriesBurst>(keyCount);
        for (var k = 0; k < keyCount; k++)
            bursts.Add(new SeriesBurst(batch.Keys[k], counts[k]));
        for (var i = 0; i < batch.Count; i++)
            bursts[batch.KeyIds[i]].Add(batch.Steps[i], batch.Values[i], batch.Times[i]);
        bursts.RemoveAll(b => b.Count == 0);
        return bursts;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live broadcast for run {RunId} failed")]
    private static partial void LogPushFailed(ILogger logger, string runId, Exception exception);

    internal sealed class SeriesBurst(string key, int capacity)
    {
        private readonly long[] _steps = new long[capacity];
        private readonly double[] _values = new double[capacity];
        private readonly long[] _times = new long[capacity];

        public string Key => key;

        public int Count { get; private set; }

        public void Add(long step, double value, long time)
        {
            _steps[Count] = step;
            _values[Count] = value;
            _times[Count] = time;
            Count++;
        }

        public LiveSeries ToLive(int maxPoints)
        {
            if (Count <= maxPoints)
                return new LiveSeries(key, _steps, _values, _times, Sampled: false);
            var keep = MinMaxDecimation.Select(_values, maxPoints);
            var steps = new long[keep.Length];
            var values = new double[keep.Length];
            var times = new long[keep.Length];
            for (var i = 0; i < keep.Length; i++)
            {
                steps[i] = _steps[keep[i]];
                values[i] = _values[keep[i]];
                times[i] = _times[keep[i]];
            }
            return new LiveSeries(key, steps, values, times, Sampled: true);
        }

        public LiveSeriesDelta Delta()
        {
            var last = 0;
            double? min = null,
                max = null;
            for (var i = 0; i < Count; i++)
            {
                if (_steps[i] >= _steps[last])
                    last = i;
                var v = _values[i];
                if (double.IsNaN(v))
                    continue;
                if (min is null || v < min)
                    min = v;
                if (max is null || v > max)
                    max = v;
            }
            return new LiveSeriesDelta(_values[last], _steps[last], min, max, Count, _times[last]);
        }
    }
}
