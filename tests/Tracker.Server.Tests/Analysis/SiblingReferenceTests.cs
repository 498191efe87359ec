using System.Net.Http.Json;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Analysis;

/// <summary>A run is judged against the best level its siblings (same group, else same project) reached: one that settles
/// far above them reads as underfitting relative to them, the same curve alone reads as converged.</summary>
public abstract class SiblingReferenceTests(StoreKind kind)
{
    private static MetricPointInput[] Curve(double floor, double amplitude) =>
        [.. Enumerable.Range(0, 300).Select(i => new MetricPointInput("loss", i, floor + (amplitude * Math.Exp(-i / 30.0))))];

    [Fact]
    public async Task A_run_that_settled_far_above_its_best_sibling_is_underfitting_relative_to_it()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        var best = await client.CreateRunAsync("sweep", new CreateRunRequest(Group: "lr"));
        await client.LogMetricsAsync(best.Id, new LogMetricsRequest(0, Curve(0.05, 2.25)));
        var behind = await client.CreateRunAsync("sweep", new CreateRunRequest(Group: "lr"));
        await client.LogMetricsAsync(behind.Id, new LogMetricsRequest(0, Curve(0.9, 1.4)));
        var alone = await client.CreateRunAsync("sweep", new CreateRunRequest(Group: "other"));
        await client.LogMetricsAsync(alone.Id, new LogMetricsRequest(0, Curve(0.9, 1.4)));

        var relative = await client.Http.GetFromJsonAsync($"api/v1/runs/{behind.Id}/analysis", TrackerJsonContext.Default.RunAnalysisDto);
        Assert.Equal("underfitting", relative!.Pattern!.Label);
        Assert.Equal(0.05, relative.Pattern.Evidence!["floor"], 3);

        // The same curve in a group of its own has no sibling to be measured against: it fell 61 % and settled.
        var own = await client.Http.GetFromJsonAsync($"api/v1/runs/{alone.Id}/analysis", TrackerJsonContext.Default.RunAnalysisDto);
        Assert.Equal("healthy_convergence", own!.Pattern!.Label);
        Assert.False(own.Pattern.Evidence!.ContainsKey("floor"));

        // The best run itself is not behind anyone.
        var leader = await client.Http.GetFromJsonAsync($"api/v1/runs/{best.Id}/analysis", TrackerJsonContext.Default.RunAnalysisDto);
        Assert.Equal("healthy_convergence", leader!.Pattern!.Label);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresSiblingReferenceTests() : SiblingReferenceTests(StoreKind.Postgres);

[Trait("Store", "Sqlite")]
public sealed class SqliteSiblingReferenceTests() : SiblingReferenceTests(StoreKind.Sqlite);
