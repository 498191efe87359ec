using System.Collections.Concurrent;
using System.Diagnostics;
using Tracker.Sdk.Contracts;
using Tracker.Sdk.Internal;
using Tracker.Sdk.Sync;
using Tracker.TestSupport;

namespace Tracker.Sdk.Tests;

/// <summary>Outages: the server stops mid-run, is never reachable, or is dead at finish; offline runs; sync.</summary>
public sealed class DurabilityTests
{
    private static readonly Uri Nowhere = new("http://127.0.0.1:9/");

    [Fact]
    public async Task Server_stopped_mid_run_and_started_again_stores_every_point_once()
    {
        await using var server = TrackerServer.Start(StoreKind.Postgres);
        var warnings = new ConcurrentQueue<string>();
        // The flush may take as long as it needs: this test checks that every point arrives once, not how fast the replay
        // drains (on a loaded machine 15 s were not enough to create the run and replay the outage's batches).
        var run = await TrackerRun.StartAsync(TestRuns.Options(server.BaseAddress, TestRuns.TempDir(), warnings, flushTimeout: TimeSpan.FromMinutes(3)));
        const int total = 30_000;
        for (var step = 0; step < total; step++)
        {
            run.Log(step, ("loss", step), ("acc", step));
            if (step == 10_000)
                await server.StopAsync();
            if (step == 20_000)
                server.StartAgain();
            if (step % 100 == 0)
                await Task.Delay(1);
        }
        await run.FinishAsync();

        var client = server.CreateClient();
        await TestRuns.AssertSeriesAsync(client, run.Id, "loss", total);
        await TestRuns.AssertSeriesAsync(client, run.Id, "acc", total);
        Assert.Equal(RunState.Finished, (await client.GetRunAsync(run.Id)).State);
        Assert.Contains(warnings, w => w.Contains("unreachable", StringComparison.Ordinal));
        Assert.False(File.Exists(run.SpoolPath));
    }

    [Fact]
    public async Task Never_reachable_server_spools_and_sync_uploads_every_point_once()
    {
        var spoolDir = TestRuns.TempDir();
        var warnings = new ConcurrentQueue<string>();
        var run = await TrackerRun.StartAsync(TestRuns.Options(Nowhere, spoolDir, warnings, flushTimeout: TimeSpan.FromSeconds(1)));
        for (var step = 0; step < 5_000; step++)
            run.Log(step, ("loss", step));
        await run.FinishAsync();

        Assert.Contains(warnings, w => w.Contains("not sent", StringComparison.Ordinal));
        var spool = SpoolContent.Read(run.SpoolPath!);
        Assert.Equal(5_000, spool.PointCount);
        Assert.Equal(RunState.Finished, spool.Finish);

        await using var server = TrackerServer.Start(StoreKind.Postgres);
        var client = server.CreateClient();
        var sync = new SpoolSync(client);
        var first = await sync.UploadAsync(run.SpoolPath!, keep: true);
        Assert.Equal(5_000, first.Accepted);
        var again = await sync.UploadAsync(run.SpoolPath!);
        Assert.Equal(0, again.Accepted);
        await TestRuns.AssertSeriesAsync(client, run.Id, "loss", 5_000);
        var stored = await client.GetRunAsync(run.Id);
        Assert.Equal(RunState.Finished, stored.State);
        Assert.Equal("sdk-tests", stored.Project);
        Assert.Equal(0.01, stored.Config!.Value.GetProperty("lr").GetDouble());
        Assert.Empty(SpoolSync.FindSpools(spoolDir));
    }

    [Fact]
    public async Task Offline_mode_writes_only_the_spool_and_sync_uploads_it()
    {
        var spoolDir = TestRuns.TempDir();
        string runId;
        await using (var run = await TrackerRun.StartAsync(TestRuns.Options(Nowhere, spoolDir, mode: TrackerMode.Offline)))
        {
            runId = run.Id;
            for (var step = 0; step < 1_000; step++)
                run.Log(step, ("loss", step), ("lr", step));
        }
        var spools = SpoolSync.FindSpools(spoolDir);
        Assert.Single(spools);

        await using var server = TrackerServer.Start(StoreKind.Postgres);
        var client = server.CreateClient();
        var result = await new SpoolSync(client).UploadAsync(spools[0]);
        Assert.Equal(2_000, result.Points);
        await TestRuns.AssertSeriesAsync(client, runId, "loss", 1_000);
        await TestRuns.AssertSeriesAsync(client, runId, "lr", 1_000);
        Assert.Equal(RunState.Finished, (await client.GetRunAsync(runId)).State);
    }

    [Fact]
    public async Task FinishAsync_with_a_dead_server_returns_within_its_timeout_and_leaves_a_valid_spool()
    {
        await using var server = TrackerServer.Start(StoreKind.Postgres);
        var options = TestRuns.Options(server.BaseAddress, TestRuns.TempDir(), flushTimeout: TimeSpan.FromSeconds(2), retries: 50);
        var run = await TrackerRun.StartAsync(options);
        run.Log(0, ("loss", 0));
        await Task.Delay(200);
        await server.StopAsync();
        for (var step = 1; step < 2_000; step++)
            run.Log(step, ("loss", step));

        var watch = Stopwatch.StartNew();
        await run.FinishAsync();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"FinishAsync took {watch.Elapsed}");

        var spool = SpoolContent.Read(run.SpoolPath!);
        Assert.Equal(0, spool.SkippedLines);
        Assert.Equal(RunState.Finished, spool.Finish);
        Assert.Equal(run.Id, spool.Header.RunId);
        var steps = spool
            .Batches.SelectMany(b => System.Text.Json.JsonDocument.Parse(b.Body).RootElement.GetProperty("points").EnumerateArray())
            .Select(p => p.GetProperty("step").GetInt64())
            .ToHashSet();
        Assert.True(steps.IsSupersetOf(Enumerable.Range(1, 1_999).Select(i => (long)i)));
    }
}
