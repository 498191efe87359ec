using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.Server.Analysis;
using Tracker.Server.Replicas;
using Tracker.Server.Tests.Analysis;
using Tracker.Server.Tests.Api;
using Tracker.TestSupport;
using Xunit.Abstractions;

namespace Tracker.Server.Tests.Scale;

/// <summary>One owner per run's analyzers across replicas: with a shared Redis, each run's analyzers live in one Orleans
/// grain, so batches of a run that land on different replicas get the advice a single server gives for the same points.</summary>
public sealed class RunAnalysisOwnershipTests(ITestOutputHelper output)
{
    /// <summary>Training loss falls throughout; validation loss falls, then rises from step 150 (overfitting), so the
    /// early-stopping advice flips to stop partway.</summary>
    internal static LogMetricsRequest OverfittingBatch(int seq, int stepsPerBatch = 10)
    {
        var from = (long)(seq - 1) * stepsPerBatch;
        return Points.Batch(
            seq,
            [
                .. Points.Series("loss", from, stepsPerBatch, s => Overfitting(s).Loss),
                .. Points.Series("val_loss", from, stepsPerBatch, s => Overfitting(s).ValLoss),
            ]
        );
    }

    /// <summary>The curve of <see cref="OverfittingBatch"/> at one step.</summary>
    internal static (double Loss, double ValLoss) Overfitting(long step) =>
        (2.0 / (1 + 0.05 * step), 2.2 / (1 + 0.05 * step) + 0.004 * Math.Max(0, step - 150));

    /// <summary>The analysis without its time stamp, as comparable JSON.</summary>
    internal static string Comparable(RunAnalysisDto analysis) =>
        JsonSerializer.Serialize(analysis with { UpdatedAt = null }, TrackerJsonContext.Default.RunAnalysisDto);

    /// <summary>The verdicts that are a function of the points alone: the early-stopping advice, each stopping criterion's
    /// verdict, and how many points through which step were analyzed. (The pattern label also depends on when the
    /// evaluations ran: it must hold over consecutive evaluations before it changes, so a live stream and a replay of the
    /// same points may differ in it, on one server as on many.)</summary>
    internal static string PointVerdicts(RunAnalysisDto analysis) =>
        string.Join(
            "; ",
            [
                $"points {analysis.Points} through step {analysis.LastStep}",
                $"advice {analysis.Advice?.ShouldStop} {analysis.Advice?.Reason} best {analysis.Advice?.BestStep}={analysis.Advice?.BestValue} on {analysis.Advice?.Monitor}",
                .. (analysis.Criteria ?? []).Select(c => $"{c.Name} {(c.Met ? "met" : "not met")}"),
            ]
        );

    /// <summary>The run's analysis once no pattern label waits to take effect: a live stream and a replay of the same
    /// points then agree on the whole analysis (a quiet run settles on the verdict of its final points).</summary>
    internal static async Task<RunAnalysisDto> SettledAnalysisAsync(TrackerClient client, string runId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var analysis = await client.GetRunAnalysisAsync(runId);
            if (analysis.Pattern?.Pending is null || clock.Elapsed > AnalyzerHost.SettleAfter + TimeSpan.FromSeconds(15))
                return analysis;
            await Task.Delay(100);
        }
    }

    internal static (bool, string?, long?)? EarlyStopping(AdviceDto? advice) => advice is null ? null : (advice.ShouldStop, advice.Reason, advice.BestStep);

    [Fact]
    public async Task A_batch_that_overtakes_its_predecessor_through_another_replica_waits_for_it_in_the_grain()
    {
        var redis = await RedisServer.Instance;
        // A long order wait: batch 2 reaches the grain well within it however loaded the machine (CI once saw it come after
        // the default 250 ms, and batch 3 observed first); a grain that ran one call at a time would show as batch 2's
        // acknowledgement waiting it out.
        await using var a = TrackerServer.Start(
            StoreKind.Postgres,
            new Dictionary<string, string?> { ["Tracker:Redis"] = redis.Endpoint, ["Tracker:Analysis:OrderWait"] = "00:00:10" }
        );
        await using var b = a.StartReplica();
        var (onA, onB) = (a.CreateClient(), b.CreateClient());
        var run = await onA.CreateRunAsync("grain-order", new CreateRunRequest());
        await onA.LogMetricsAsync(run.Id, AnalysisIntegrationTests.OvertakenBatch(1)); // the grain is placed on A
        await onB.GetRunAnalysisAsync(run.Id); // B has called the grain once (its connection to A's silo is open)
        // Batch 3 reaches the grain (through B, a call across silos) before batch 2 (through A): the grain's observe calls
        // interleave, so batch 3 waits inside for batch 2 instead of holding the grain until its wait runs out.
        var third = onB.LogMetricsAsync(run.Id, AnalysisIntegrationTests.OvertakenBatch(3));
        await Task.Delay(100);
        var clock = Stopwatch.StartNew();
        await onA.LogMetricsAsync(run.Id, AnalysisIntegrationTests.OvertakenBatch(2));
        var secondAck = clock.Elapsed;
        await third;
        var analysis = await onA.GetRunAnalysisAsync(run.Id);
        // The lowest loss is batch 2's last step. A grain that ran one call at a time would have held batch 2 until batch
        // 3's wait ran out, observed batch 3 first, and dropped batch 2's earlier steps: another best step.
        Assert.Equal(19, analysis.Advice!.BestStep);
        Assert.True(secondAck < TimeSpan.FromSeconds(5), $"batch 2 acknowledged after {secondAck}: it waited for batch 3's wait to run out");
        output.WriteLine($"batch 2 acknowledged {secondAck.TotalMilliseconds:F0} ms after it was sent, with batch 3 waiting for it in the grain");
    }

    [Fact]
    public async Task Batches_of_one_run_alternating_between_two_replicas_get_the_advice_of_a_single_server()
    {
        var redis = await RedisServer.Instance;
        await using var single = TrackerServer.Start(StoreKind.Postgres);
        await using var a = TrackerServer.Start(StoreKind.Postgres, new Dictionary<string, string?> { ["Tracker:Redis"] = redis.Endpoint });
        await using var b = a.StartReplica();
        Assert.IsType<GrainRunAnalysis>(a.Services.GetRequiredService<IRunAnalysis>());
        Assert.IsType<AnalyzerHost>(single.Services.GetRequiredService<IRunAnalysis>());

        var alone = single.CreateClient();
        var replicas = new[] { a.CreateClient(), b.CreateClient() };
        var reference = await alone.CreateRunAsync("owned", new CreateRunRequest());
        var run = await replicas[0].CreateRunAsync("owned", new CreateRunRequest());

        var stoppedAt = -1;
        var acks = new[] { new List<double>(), new List<double>(), new List<double>() }; // single, A (grain here), B (grain on A)
        for (var seq = 1; seq <= 60; seq++)
        {
            var clock = Stopwatch.StartNew();
            var expected = await alone.LogMetricsAsync(reference.Id, OverfittingBatch(seq));
            acks[0].Add(clock.Elapsed.TotalMilliseconds);
            // Round-robin, as a balancer would spread them; the first batch lands on A, so the grain is placed there.
            clock.Restart();
            var actual = await replicas[(seq - 1) % 2].LogMetricsAsync(run.Id, OverfittingBatch(seq));
            acks[1 + (seq - 1) % 2].Add(clock.Elapsed.TotalMilliseconds);
            // The early-stopping part is updated on every batch; the pattern in an acknowledgement is that of the latest
            // background evaluation (every 200 ms), so it depends on timing even on one server and is compared below.
            Assert.Equal(EarlyStopping(expected.Advice), EarlyStopping(actual.Advice));
            if (expected.Advice is { ShouldStop: true } && stoppedAt < 0)
                stoppedAt = seq;
        }
        Assert.True(stoppedAt > 0, "the reference run was never advised to stop: the curve does not exercise the advice");
        output.WriteLine(
            $"60 batches alternating between two replicas: every acknowledgement's advice equals the single server's (stop from batch {stoppedAt})"
        );
        string Median(List<double> ms) => $"{ms.Order().ElementAt(ms.Count / 2):F1} ms";
        output.WriteLine(
            $"acknowledgement median (20 points per batch, from batch 2): single server {Median(acks[0][1..])}, replica holding the grain {Median(acks[1][1..])}, other replica (grain call across silos) {Median(acks[2])}"
        );

        var referenceAnalysis = Comparable(await SettledAnalysisAsync(alone, reference.Id));
        Assert.Equal(referenceAnalysis, Comparable(await SettledAnalysisAsync(replicas[0], run.Id)));
        Assert.Equal(referenceAnalysis, Comparable(await SettledAnalysisAsync(replicas[1], run.Id)));
    }
}
