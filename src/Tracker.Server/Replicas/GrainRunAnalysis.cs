using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Tracker.Sdk.Contracts;
using Tracker.Server.Analysis;
using Tracker.Server.Ingest;
using Tracker.Server.Telemetry;

namespace Tracker.Server.Replicas;

/// <summary><see cref="IRunAnalysis"/> across replicas: every call goes to the run's <see cref="IRunAnalysisGrain"/>,
/// wherever the cluster placed it. A call that fails while the cluster notices a dead silo is retried for up to
/// <see cref="RetryFor"/>; after that the batch (already stored) is acknowledged without fresh advice, and the grain's
/// next activation replays it from storage.</summary>
internal sealed partial class GrainRunAnalysis(
    IGrainFactory grains,
    IMemoryCache cache,
    Artifacts.BestCheckpoints checkpoints,
    TrackerMetrics metrics,
    ILogger<GrainRunAnalysis> logger
) : IRunAnalysis
{
    /// <summary>How long a batch's observation is retried while its grain's silo is unreachable.</summary>
    public static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);

    private static readonly MemoryCacheEntryOptions AdviceEntry = new() { SlidingExpiration = TimeSpan.FromMinutes(10), Size = 1 };

    public async ValueTask OnStoredAsync(string runId, MetricBatch batch, CancellationToken cancellationToken)
    {
        var message = AnalysisBatch.From(batch);
        var grain = grains.GetGrain<IRunAnalysisGrain>(runId);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var call = Stopwatch.GetTimestamp();
            try
            {
                var advice = await grain.ObserveAsync(message).WaitAsync(cancellationToken).ConfigureAwait(false);
                metrics.GrainCalled(Stopwatch.GetElapsedTime(call), ok: true);
                cache.Set(AdviceKey(runId), advice?.ToDto(), AdviceEntry);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                metrics.GrainCalled(Stopwatch.GetElapsedTime(call), ok: false);
                if (Stopwatch.GetElapsedTime(started) >= RetryFor)
                {
                    LogGaveUp(logger, e, runId, attempt);
                    cache.Remove(AdviceKey(runId));
                    return;
                }
                LogRetry(logger, runId, attempt, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100 * attempt, 1000)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public AdviceDto? Advice(string runId)
    {
        if (!cache.TryGetValue(AdviceKey(runId), out AdviceDto? advice) || advice is null)
            return null;
        // Checkpoint retention runs where the batch arrived: name this replica's best checkpoint when the grain's had none.
        return advice is { ShouldStop: true, BestCheckpoint: null } && checkpoints.PathOf(runId) is { } path ? advice with { BestCheckpoint = path } : advice;
    }

    public async Task<RunAnalysisDto> GetAsync(string runId, CancellationToken cancellationToken)
    {
        var json = await grains.GetGrain<IRunAnalysisGrain>(runId).AnalysisJsonAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(json, TrackerJsonContext.Default.RunAnalysisDto)!;
    }

    public Task ForgetAsync(string runId)
    {
        cache.Remove(AdviceKey(runId));
        return grains.GetGrain<IRunAnalysisGrain>(runId).ForgetAsync();
    }

    private static string AdviceKey(string runId) => "advice:" + runId;

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis grain of run {RunId} unreachable (attempt {Attempt}): {Error}; retrying")]
    private static partial void LogRetry(ILogger logger, string runId, int attempt, string error);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Analysis grain of run {RunId} unreachable after {Attempt} attempts; the batch is stored and acknowledged without advice"
    )]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string runId, int attempt);
}
