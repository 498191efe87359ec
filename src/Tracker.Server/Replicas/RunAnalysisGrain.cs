using System.Text.Json;
using Orleans.Concurrency;
using Orleans.Placement;
using Tracker.Sdk.Contracts;
using Tracker.Server.Analysis;
using Tracker.Server.Ingest;

namespace Tracker.Server.Replicas;

/// <summary>One run's analyzers in the cluster: Orleans keeps a single activation per run id, so the batches every
/// replica receives for the run are observed in one place, one at a time (the host's per-run gate), in the run's order.</summary>
[Alias("tracker.run-analysis")]
internal interface IRunAnalysisGrain : IGrainWithStringKey
{
    /// <summary>Observes a stored batch; returns the advice for its acknowledgement. Interleaved: a batch that overtook
    /// the one numbered before it waits for it inside (<see cref="Hosting.AnalysisOptions.OrderWait"/>), and the host's per-run
    /// gate keeps the observations one at a time.</summary>
    [Alias("observe"), AlwaysInterleave]
    Task<AdviceMessage?> ObserveAsync(AnalysisBatch batch);

    /// <summary>The run's analysis as the API's JSON (<see cref="RunAnalysisDto"/>).</summary>
    [Alias("analysis")]
    Task<string> AnalysisJsonAsync();

    /// <summary>Drops the analyzers; the next call rebuilds them from storage.</summary>
    [Alias("forget")]
    Task ForgetAsync();
}

/// <summary>The grain: a run's analyzers live in the <see cref="AnalyzerHost"/> of the silo that activated it. On
/// activation it drops whatever that host still held for the run (from an earlier activation here, since missed
/// batches went elsewhere), so the first call replays the stored points, as a single server does after a restart. It is
/// placed on the replica that first asks for it (usually the one receiving the run's batches), so most calls stay local.</summary>
[PreferLocalPlacement]
internal sealed class RunAnalysisGrain(AnalyzerHost host) : Grain, IRunAnalysisGrain
{
    private string RunId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        host.Forget(RunId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        host.Forget(RunId);
        return Task.CompletedTask;
    }

    public async Task<AdviceMessage?> ObserveAsync(AnalysisBatch batch)
    {
        using var metricBatch = batch.ToMetricBatch();
        await host.OnStoredAsync(RunId, metricBatch, CancellationToken.None);
        return AdviceMessage.From(host.Advice(RunId));
    }

    public async Task<string> AnalysisJsonAsync() =>
        JsonSerializer.Serialize(await host.GetAsync(RunId, CancellationToken.None), TrackerJsonContext.Default.RunAnalysisDto);

    public Task ForgetAsync()
    {
        host.Forget(RunId);
        return Task.CompletedTask;
    }
}

/// <summary>A stored batch as it travels to a run's grain: its series names and, per point, the series, step, value and time.</summary>
[GenerateSerializer, Immutable, Alias("tracker.analysis-batch")]
internal sealed class AnalysisBatch
{
    /// <summary>The batch's series names.</summary>
    [Id(0)]
    public required string[] Keys { get; init; }

    /// <summary>Per point, its index into <see cref="Keys"/>.</summary>
    [Id(1)]
    public required int[] KeyIds { get; init; }

    /// <summary>Per point, its step.</summary>
    [Id(2)]
    public required long[] Steps { get; init; }

    /// <summary>Per point, its value.</summary>
    [Id(3)]
    public required double[] Values { get; init; }

    /// <summary>Per point, its time (Unix ms).</summary>
    [Id(4)]
    public required long[] Times { get; init; }

    /// <summary>The batch's sequence number (the analyzers observe a run's batches in its order).</summary>
    [Id(5)]
    public long Seq { get; init; }

    /// <summary>Copies the used part of a batch (its arrays are pooled and longer than its count).</summary>
    public static AnalysisBatch From(MetricBatch batch) =>
        new()
        {
            Seq = batch.Seq,
            Keys = [.. batch.Keys],
            KeyIds = batch.KeyIds.AsSpan(0, batch.Count).ToArray(),
            Steps = batch.Steps.AsSpan(0, batch.Count).ToArray(),
            Values = batch.Values.AsSpan(0, batch.Count).ToArray(),
            Times = batch.Times.AsSpan(0, batch.Count).ToArray(),
        };

    /// <summary>A batch again, for the analyzers (dispose it).</summary>
    public MetricBatch ToMetricBatch()
    {
        var batch = new MetricBatch(Math.Max(Steps.Length, 1)) { Seq = Seq };
        var ids = new int[Keys.Length];
        for (var k = 0; k < Keys.Length; k++)
            ids[k] = batch.InternKey(Keys[k]);
        for (var i = 0; i < Steps.Length; i++)
            batch.Add(ids[KeyIds[i]], Steps[i], Values[i], Times[i]);
        return batch;
    }
}

/// <summary><see cref="AdviceDto"/> on the wire between silos.</summary>
[GenerateSerializer, Immutable, Alias("tracker.advice")]
internal sealed class AdviceMessage
{
    [Id(0)]
    public bool ShouldStop { get; init; }

    [Id(1)]
    public string? Reason { get; init; }

    [Id(2)]
    public long? BestStep { get; init; }

    [Id(3)]
    public string? Pattern { get; init; }

    [Id(4)]
    public string? Action { get; init; }

    [Id(5)]
    public string? BestCheckpoint { get; init; }

    public static AdviceMessage? From(AdviceDto? advice) =>
        advice is null
            ? null
            : new()
            {
                ShouldStop = advice.ShouldStop,
                Reason = advice.Reason,
                BestStep = advice.BestStep,
                Pattern = advice.Pattern,
                Action = advice.Action,
                BestCheckpoint = advice.BestCheckpoint,
            };

    public AdviceDto ToDto() => new(ShouldStop, Reason, BestStep, Pattern, Action, BestCheckpoint);
}
