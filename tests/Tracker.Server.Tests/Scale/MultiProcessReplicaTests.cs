using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.Server.Tests.Api;
using Tracker.TestSupport;
using Xunit.Abstractions;

namespace Tracker.Server.Tests.Scale;

/// <summary>The scaled deployment as processes on loopback (issue 13's scenarios): replicas share PostgreSQL and Redis,
/// nginx balances the API replicas, and replicas are killed with SIGKILL.</summary>
[Trait("Category", "Slow")]
[Collection(SlowCollection.Name)]
public sealed class MultiProcessReplicaTests(ScaledDeploymentFixture fixture, ITestOutputHelper output) : IClassFixture<ScaledDeploymentFixture>
{
    private ReplicaDeployment Deployment => fixture.Deployment;

    private static async Task<HubConnection> ConnectHubAsync(ServerReplica replica, string key)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(replica.BaseAddress, LiveHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(key))
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, LiveJsonContext.Default);
                o.PayloadSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    [Fact]
    public async Task Scenario4_a_key_revoked_through_one_replica_is_refused_by_the_other_within_a_second()
    {
        var created = await Deployment.CreateClient().CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Write, Name: "revoke-across"));
        using var onB = Deployment.Replicas[1].CreateHttpClient(created.Key);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("api/v1/me")).StatusCode); // replica B caches the key for 30 s

        await new TrackerClient(Deployment.Replicas[0].CreateHttpClient()).DeleteKeyAsync(created.Info.Id);
        var clock = Stopwatch.StartNew();
        while ((await onB.GetAsync("api/v1/me")).StatusCode != HttpStatusCode.Unauthorized)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "replica B still accepts the revoked key after 1 s");
            await Task.Delay(10);
        }
        output.WriteLine($"revoked on A, refused by B after {clock.Elapsed.TotalMilliseconds:F0} ms");
        using var throughBalancer = Deployment.CreateHttpClient(created.Key);
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await throughBalancer.GetAsync("api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Scenario2_a_hub_client_on_replica_B_receives_points_logged_through_replica_A()
    {
        var onA = new TrackerClient(Deployment.Replicas[0].CreateHttpClient());
        var run = await onA.CreateRunAsync("live-processes", new CreateRunRequest());
        await using var hub = await ConnectHubAsync(Deployment.Replicas[1], TrackerServer.AdminKey);
        var received = Channel.CreateUnbounded<(LivePoints Points, long At)>();
        hub.On<LivePoints>(LiveHub.Points, p => received.Writer.TryWrite((p, Stopwatch.GetTimestamp())));
        await hub.InvokeAsync(LiveHub.SubscribeRun, run.Id);

        var latencies = new List<double>();
        for (var seq = 1; seq <= 60; seq++)
        {
            var sent = Stopwatch.GetTimestamp();
            await onA.LogMetricsAsync(run.Id, Points.Batch(seq, Points.Series("loss", seq * 10, 10, s => 1.0 / (s + 1))));
            var (points, at) = await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(run.Id, points.RunId);
            Assert.Equal(seq * 10, points.Series.Single(s => s.Key == "loss").Steps[0]);
            latencies.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
        }
        latencies.Sort();
        var p95 = latencies[(int)Math.Ceiling(0.95 * latencies.Count) - 1];
        output.WriteLine(
            $"POST to replica A -> points on replica B's hub client (processes, Redis backplane): p50 {latencies[latencies.Count / 2]:F1} ms, p95 {p95:F1} ms, max {latencies[^1]:F1} ms over 60 batches; load {File.ReadAllText("/proc/loadavg").Trim()}"
        );
        Assert.True(p95 < 300, $"push p95 {p95:F0} ms");
    }

    [Fact]
    public async Task Scenario3_a_sweep_over_two_workers_loses_no_experiment_when_one_worker_is_killed()
    {
        var client = Deployment.CreateClient();
        var launched = await client.LaunchExperimentAsync(
            "sweep-processes",
            JsonNode
                .Parse(
                    """
                    {"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008], "dimension": 8}, "steps": 20000}
                    """
                )!
                .AsObject()
        );
        Assert.Equal(8, launched.RunIds.Count);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await Task.WhenAll(launched.RunIds.Select(id => client.GetExperimentAsync(id)))).Count(j => j.State == "running") < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "two workers never ran at once");
            await Task.Delay(100);
        }
        Deployment.Replicas[3].Kill(); // a worker dies mid-experiment; its lease (3 s) expires and the other takes over

        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(300);
        ExperimentJobDto[] jobs;
        while ((jobs = await Task.WhenAll(launched.RunIds.Select(id => client.GetExperimentAsync(id)))).Any(j => j.State is "queued" or "running"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"unfinished: {string.Join(", ", jobs.Select(j => j.State))}");
            await Task.Delay(250);
        }
        Assert.All(jobs, j => Assert.Equal("succeeded", j.State));
        Assert.True(jobs.Sum(j => j.Attempts) > 8, "no job was restarted: the killed worker held none");
        foreach (var id in launched.RunIds)
            Assert.Equal(20001, (await client.GetRunAsync(id)).Summary["loss"].Count); // each stored once
        output.WriteLine($"attempts: {string.Join(", ", jobs.Select(j => j.Attempts))}");
    }

    [Fact]
    public async Task Scenario5_killing_the_replica_that_hosts_a_runs_grain_moves_it_and_the_next_acknowledgement_carries_correct_advice()
    {
        await using var single = TrackerServer.Start(StoreKind.Sqlite);
        var alone = single.CreateClient();
        var reference = await alone.CreateRunAsync("grain-move", new CreateRunRequest());
        var onA = new TrackerClient(Deployment.Replicas[0].CreateHttpClient());
        var onB = new TrackerClient(Deployment.Replicas[1].CreateHttpClient());
        var run = await onA.CreateRunAsync("grain-move", new CreateRunRequest());
        try
        {
            // The grain is placed where the run's first batch arrives: replica A.
            for (var seq = 1; seq <= 10; seq++)
            {
                var expected = await alone.LogMetricsAsync(reference.Id, RunAnalysisOwnershipTests.OverfittingBatch(seq));
                var actual = await onA.LogMetricsAsync(run.Id, RunAnalysisOwnershipTests.OverfittingBatch(seq));
                Assert.Equal(RunAnalysisOwnershipTests.EarlyStopping(expected.Advice), RunAnalysisOwnershipTests.EarlyStopping(actual.Advice));
            }
            Deployment.Replicas[0].Kill();
            var stoppedAt = -1;
            var firstAck = TimeSpan.Zero;
            for (var seq = 11; seq <= 30; seq++)
            {
                var expected = await alone.LogMetricsAsync(reference.Id, RunAnalysisOwnershipTests.OverfittingBatch(seq));
                var clock = Stopwatch.StartNew();
                var actual = await onB.LogMetricsAsync(run.Id, RunAnalysisOwnershipTests.OverfittingBatch(seq));
                if (seq == 11)
                    firstAck = clock.Elapsed;
                Assert.NotNull(actual.Advice); // the grain came back on B (replayed from storage) within the acknowledgement
                Assert.Equal(RunAnalysisOwnershipTests.EarlyStopping(expected.Advice), RunAnalysisOwnershipTests.EarlyStopping(actual.Advice));
                if (actual.Advice is { ShouldStop: true } && stoppedAt < 0)
                    stoppedAt = seq;
            }
            Assert.True(stoppedAt > 10, "the advice never flipped to stop after the grain moved");
            Assert.Equal(
                RunAnalysisOwnershipTests.Comparable(await RunAnalysisOwnershipTests.SettledAnalysisAsync(alone, reference.Id)),
                RunAnalysisOwnershipTests.Comparable(await RunAnalysisOwnershipTests.SettledAnalysisAsync(onB, run.Id))
            );
            output.WriteLine(
                $"grain host killed: the first acknowledgement through the other replica took {firstAck.TotalMilliseconds:F0} ms; stop advised from batch {stoppedAt}"
            );
        }
        finally
        {
            if (!Deployment.Replicas[0].IsRunning)
                await Deployment.Replicas[0].StartAsync(TimeSpan.FromSeconds(120));
        }
    }

    [Fact]
    public async Task Scenario1_the_sdk_streams_through_the_balancer_while_an_api_replica_is_killed_and_restarted()
    {
        const int Steps = 600;
        var home = TestFolders.Create("scenario1-");
        var killed = Deployment.Replicas[0];
        string runId;
        RunAdvice finalAdvice;
        var clock = Stopwatch.StartNew();
        TimeSpan down = default,
            up = default;
        try
        {
            await using (
                var run = await TrackerRun.StartAsync(
                    new RunOptions
                    {
                        Project = "stream-through-kill",
                        Url = Deployment.BalancerAddress,
                        ApiKey = TrackerServer.AdminKey,
                        TrackerHome = home,
                        SpoolDir = Path.Combine(home, "spool"),
                        MaxBatchPoints = 40,
                        // One batch at a time, so that they are stored (and analyzed) in step order, as the replay
                        // below reads them: two in flight may be stored in either order, on one server as on many.
                        MaxRequestsInFlight = 1,
                    }
                )
            )
            {
                runId = run.Id;
                for (var step = 0; step < Steps; step++)
                {
                    var (loss, valLoss) = RunAnalysisOwnershipTests.Overfitting(step);
                    run.Log(step, ("loss", loss), ("val_loss", valLoss));
                    if (step == Steps / 3)
                    {
                        killed.Kill();
                        down = clock.Elapsed;
                    }
                    if (step == 2 * Steps / 3)
                    {
                        await killed.StartAsync(TimeSpan.FromSeconds(120));
                        up = clock.Elapsed;
                    }
                    await Task.Delay(5);
                }
                await run.FinishAsync();
                finalAdvice = run.Advice;
            }
        }
        finally
        {
            if (!killed.IsRunning)
                await killed.StartAsync(TimeSpan.FromSeconds(120));
        }

        var client = Deployment.CreateClient();
        foreach (var key in new[] { "loss", "val_loss" })
        {
            var steps = new List<long>();
            string? cursor = null;
            do
            {
                var page = await client.GetHistoryAsync(runId, key, cursor: cursor);
                steps.AddRange(page.Points.Select(p => p.Step));
                cursor = page.NextCursor;
            } while (cursor is not null);
            Assert.Equal(Enumerable.Range(0, Steps).Select(s => (long)s), steps); // every point once, in order
        }

        // The same points replayed on a single server give the same verdicts.
        await using var single = TrackerServer.Start(StoreKind.Sqlite);
        var alone = single.CreateClient();
        var reference = await alone.CreateRunAsync("stream-through-kill", new CreateRunRequest());
        for (var seq = 1; seq <= Steps / 40; seq++)
        {
            // In the SDK's order: each step's loss, then its val_loss.
            var points = Enumerable
                .Range((seq - 1) * 40, 40)
                .SelectMany(step =>
                    new[]
                    {
                        new MetricPointInput("loss", step, RunAnalysisOwnershipTests.Overfitting(step).Loss, 1_700_000_000_000 + step),
                        new MetricPointInput("val_loss", step, RunAnalysisOwnershipTests.Overfitting(step).ValLoss, 1_700_000_000_000 + step),
                    }
                );
            await alone.LogMetricsAsync(reference.Id, new LogMetricsRequest(seq, [.. points]));
        }
        var expected = await alone.GetRunAnalysisAsync(reference.Id);
        var actual = await client.GetRunAnalysisAsync(runId);
        output.WriteLine($"single server: {RunAnalysisOwnershipTests.PointVerdicts(expected)}");
        output.WriteLine($"deployment:    {RunAnalysisOwnershipTests.PointVerdicts(actual)}");
        Assert.Equal(RunAnalysisOwnershipTests.PointVerdicts(expected), RunAnalysisOwnershipTests.PointVerdicts(actual));
        Assert.True(finalAdvice.ShouldStop, "the SDK's last advice is not the single server's stop advice");
        Assert.Equal(expected.Advice!.BestStep, finalAdvice.BestStep);
        output.WriteLine(
            $"{Steps} steps × 2 series through nginx; replica killed at {down.TotalSeconds:F1} s, back at {up.TotalSeconds:F1} s, run finished at {clock.Elapsed.TotalSeconds:F1} s; every point stored once; verdicts equal a single server's"
        );
    }
}
