using System.Diagnostics;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk.Contracts;
using Tracker.Server.Analysis;
using Tracker.Server.Hubs;
using Tracker.Server.Tests.Api;
using Tracker.Server.Tests.Hubs;
using Tracker.TestSupport;
using Xunit.Abstractions;

namespace Tracker.Server.Tests.Scale;

/// <summary>Two replicas (in this process) on one PostgreSQL database and one real <c>redis-server</c>: live points cross
/// replicas through the SignalR Redis backplane, and cached state a write made stale goes everywhere within 1 s.</summary>
// Slow: the cross-replica promises (p95 < 300 ms from a POST on one replica to a hub client on the other; 1 s for a key or
// a cache to be dropped everywhere) are timing bounds, measured after the parallel phase as the other multi-server tests are,
// not on a machine that the browser tests saturate (CI once saw p95 324 ms there, p50 13 ms).
[Trait("Category", "Slow")]
[Collection(SlowCollection.Name)]
public sealed class ReplicaCoherenceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(1);

    private static async Task<(TrackerServer A, TrackerServer B)> StartPairAsync()
    {
        var redis = await RedisServer.Instance;
        var a = TrackerServer.Start(StoreKind.Postgres, new Dictionary<string, string?> { ["Tracker:Redis"] = redis.Endpoint });
        return (a, a.StartReplica());
    }

    private static async Task<TimeSpan> WithinAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < within, $"not within {within}");
            await Task.Delay(10);
        }
        return clock.Elapsed;
    }

    [Fact]
    public async Task A_key_deleted_through_one_replica_is_refused_by_the_other_within_a_second()
    {
        var (a, b) = await StartPairAsync();
        await using var _a = a;
        await using var _b = b;
        var created = await a.CreateClient().CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Write, Name: "revoked"));
        using var onB = b.CreateHttpClient(created.Key);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("api/v1/me")).StatusCode); // B caches the key (30 s)
        await using var live = await LiveHubClient.ConnectAsync(b, created.Key);

        await a.CreateClient().DeleteKeyAsync(created.Info.Id);
        var refused = await WithinAsync(async () => (await onB.GetAsync("api/v1/me")).StatusCode == HttpStatusCode.Unauthorized, Promise);
        // The open hub connection's promise is the documented one (README, Tracker:Hub:KeyCheckInterval): a key deleted on
        // another replica loses its connections within the key-check interval. The invalidation usually closes it at once,
        // but the close handshake is a round trip that a loaded 2-core CI machine delayed past 1 s (CI, 2026-12-03).
        var closing = Stopwatch.StartNew();
        await live.Closed.WaitAsync(new Tracker.Server.Hubs.HubOptions().KeyCheckInterval + Promise);
        output.WriteLine(
            $"key refused by the other replica after {refused.TotalMilliseconds:F0} ms; its hub connection closed {closing.ElapsedMilliseconds} ms later"
        );
    }

    [Fact]
    public async Task A_hub_client_on_one_replica_receives_points_ingested_through_the_other()
    {
        var (a, b) = await StartPairAsync();
        await using var _a = a;
        await using var _b = b;
        Assert.Contains("Redis", b.Services.GetRequiredService<HubLifetimeManager<RunsHub>>().GetType().Name, StringComparison.Ordinal);
        var client = a.CreateClient();
        var run = await client.CreateRunAsync("live-across", new CreateRunRequest());
        await using var live = await LiveHubClient.ConnectAsync(b, TrackerServer.AdminKey);
        var received = Channel.CreateUnbounded<(LivePoints Points, long At)>();
        live.Connection.On<LivePoints>(LiveHub.Points, p => received.Writer.TryWrite((p, Stopwatch.GetTimestamp())));
        await live.Connection.InvokeAsync(LiveHub.SubscribeRun, run.Id);

        var latencies = new List<double>();
        for (var seq = 1; seq <= 40; seq++)
        {
            var sent = Stopwatch.GetTimestamp();
            await client.LogMetricsAsync(run.Id, Points.Batch(seq, Points.Series("loss", seq * 10, 10, s => 1.0 / (s + 1))));
            var (points, at) = await received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(run.Id, points.RunId);
            Assert.Equal(10, points.Series.Single(s => s.Key == "loss").Steps.Length);
            latencies.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
        }
        latencies.Sort();
        var p95 = latencies[(int)Math.Ceiling(0.95 * latencies.Count) - 1];
        output.WriteLine(
            $"POST on A to point on B's hub client: p50 {latencies[latencies.Count / 2]:F1} ms, p95 {p95:F1} ms, max {latencies[^1]:F1} ms (40 batches)"
        );
        Assert.True(p95 < 300, $"p95 {p95:F0} ms");
    }

    [Fact]
    public async Task Changed_project_defaults_and_a_deleted_run_drop_the_other_replicas_analyzers_within_a_second()
    {
        var (a, b) = await StartPairAsync();
        await using var _a = a;
        await using var _b = b;
        var run = await a.CreateClient().CreateRunAsync("coherent", new CreateRunRequest());
        var onB = b.CreateClient();
        var cacheB = b.Services.GetRequiredService<AnalyzerCache>();
        await onB.LogMetricsAsync(run.Id, Points.Batch(1, Points.Series("loss", 0, 20, s => 1.0 / (s + 1))));
        Assert.True(cacheB.TryGet(run.Id, out _));

        await a.CreateClient()
            .UpdateProjectAsync("coherent", new UpdateProjectRequest(AnalysisDefaults: System.Text.Json.JsonDocument.Parse("""{"patience": 3}""").RootElement));
        var reset = await WithinAsync(() => Task.FromResult(!cacheB.TryGet(run.Id, out _)), Promise);

        await onB.LogMetricsAsync(run.Id, Points.Batch(2, Points.Series("loss", 20, 20, s => 1.0 / (s + 1))));
        Assert.True(cacheB.TryGet(run.Id, out _));
        await a.CreateClient().DeleteRunAsync(run.Id);
        var deleted = await WithinAsync(() => Task.FromResult(!cacheB.TryGet(run.Id, out _)), Promise);
        output.WriteLine(
            $"other replica dropped the analyzers after {reset.TotalMilliseconds:F0} ms (defaults), {deleted.TotalMilliseconds:F0} ms (deleted run)"
        );
    }

    [Fact]
    public async Task Without_redis_a_server_keeps_the_in_process_hub()
    {
        await using var server = TrackerServer.Start(StoreKind.Postgres);
        Assert.Equal("DefaultHubLifetimeManager`1", server.Services.GetRequiredService<HubLifetimeManager<RunsHub>>().GetType().Name);
    }
}
