using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Api;

/// <summary>Server restarts and the crashed-run sweep, each with its own server.</summary>
public abstract class LifecycleTests(StoreKind kind)
{
    [Fact]
    public async Task A_restart_keeps_runs_points_and_summaries()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        var run = await client.CreateRunAsync(
            "restart",
            new CreateRunRequest(Name: "before", Config: System.Text.Json.JsonDocument.Parse("{\"lr\":0.1}").RootElement)
        );
        await client.LogMetricsAsync(run.Id, Points.Batch(1, Points.Series("loss", 0, 5_000, s => 1.0 / (s + 1))));

        await server.RestartAsync();
        client = server.CreateClient();
        var after = await client.GetRunAsync(run.Id);
        Assert.Equal("before", after.Name);
        Assert.Equal(5_000, after.Summary["loss"].Count);
        Assert.Equal(1.0 / 5_000, after.Summary["loss"].Last);
        Assert.Equal(5_000, (await client.GetHistoryAsync(run.Id, "loss")).Points.Count);
        // The seq already stored before the restart is still recognised.
        Assert.True((await client.LogMetricsAsync(run.Id, Points.Batch(1, Points.Series("loss", 0, 5_000, s => 0)))).Duplicate);
    }

    [Fact]
    public async Task A_run_without_heartbeat_is_marked_crashed_and_a_live_one_is_not()
    {
        await using var server = TrackerServer.Start(
            kind,
            new Dictionary<string, string?>
            {
                // Long enough that a live run logging every 250 ms survives the stalls of a loaded 2-core machine (the
                // suite runs the browser tests alongside), short enough to keep the test quick.
                ["Tracker:Runs:HeartbeatTimeout"] = "00:00:04",
                ["Tracker:Runs:SweepInterval"] = "00:00:00.200",
            }
        );
        var client = server.CreateClient();
        var silent = await client.CreateRunAsync("sweep", new CreateRunRequest(Name: "silent"));
        var alive = await client.CreateRunAsync("sweep", new CreateRunRequest(Name: "alive"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var seq = 0;
        RunDto silentNow;
        do
        {
            await client.LogMetricsAsync(alive.Id, Points.Batch(seq, new MetricPointInput("loss", seq, 1)));
            seq++;
            await Task.Delay(250);
            silentNow = await client.GetRunAsync(silent.Id);
        } while (silentNow.State == RunState.Running && DateTime.UtcNow < deadline);

        Assert.Equal(RunState.Crashed, silentNow.State);
        Assert.NotNull(silentNow.EndedAt);
        Assert.Equal(RunState.Running, (await client.GetRunAsync(alive.Id)).State);
        var events = await client.ListEventsAsync(silent.Id);
        Assert.Equal("crashed", events.Events[^1].To);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresLifecycleTests() : LifecycleTests(StoreKind.Postgres);

[Trait("Store", "Sqlite")]
public sealed class SqliteLifecycleTests() : LifecycleTests(StoreKind.Sqlite);
