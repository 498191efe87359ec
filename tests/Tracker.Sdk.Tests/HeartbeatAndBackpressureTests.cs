using System.Collections.Concurrent;
using System.Diagnostics;
using Tracker.Sdk.Contracts;
using Tracker.Sdk.Internal;
using Tracker.TestSupport;

namespace Tracker.Sdk.Tests;

/// <summary>A quiet run stays alive through heartbeats; a full buffer waits, then spills without losing a point.</summary>
public sealed class HeartbeatAndBackpressureTests
{
    [Fact]
    public async Task Quiet_run_is_kept_running_by_heartbeats_while_one_without_them_is_marked_crashed()
    {
        await using var server = TrackerServer.Start(
            StoreKind.Postgres,
            new Dictionary<string, string?> { ["Tracker:Runs:HeartbeatTimeout"] = "00:00:01.500", ["Tracker:Runs:SweepInterval"] = "00:00:00.200" }
        );
        var beating = await TrackerRun.StartAsync(TestRuns.Options(server.BaseAddress, TestRuns.TempDir(), heartbeat: TimeSpan.FromMilliseconds(300)));
        var silent = await TrackerRun.StartAsync(TestRuns.Options(server.BaseAddress, TestRuns.TempDir(), heartbeat: TimeSpan.Zero));
        beating.Log(0, ("loss", 1.0));
        silent.Log(0, ("loss", 1.0));

        var client = server.CreateClient();
        var watch = Stopwatch.StartNew();
        while ((await client.GetRunAsync(silent.Id)).State == RunState.Running && watch.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(200);
        Assert.Equal(RunState.Crashed, (await client.GetRunAsync(silent.Id)).State);
        await Task.Delay(TimeSpan.FromSeconds(2)); // longer than the server's timeout once more

        Assert.Equal(RunState.Running, (await client.GetRunAsync(beating.Id)).State);
        beating.Log(1, ("loss", 0.5));
        await beating.FinishAsync();
        Assert.Equal(RunState.Finished, (await client.GetRunAsync(beating.Id)).State);
        Assert.Equal(2, (await TestRuns.ReadAllAsync(client, beating.Id, "loss")).Count);
        await silent.FinishAsync(RunState.Failed);
    }

    [Fact]
    public async Task A_tiny_buffer_under_two_threads_keeps_every_point_in_order_whether_it_waits_or_spills()
    {
        var warnings = new ConcurrentQueue<string>();
        var options = TestRuns.Options(
            new Uri("http://127.0.0.1:9/"),
            TestRuns.TempDir(),
            warnings,
            flushTimeout: TimeSpan.FromSeconds(1),
            capacity: 256,
            backpressure: TimeSpan.FromMilliseconds(20)
        );
        var run = await TrackerRun.StartAsync(options);
        const int perThread = 5_000;
        var threads = Enumerable
            .Range(0, 2)
            .Select(t => new Thread(() =>
            {
                for (var step = 0; step < perThread; step++)
                    run.Log(step, ($"t{t}/a", step), ($"t{t}/b", step), ($"t{t}/c", step));
            }))
            .ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        await run.FinishAsync();

        // Whether the buffer overflows (and spills) depends on how fast the spool keeps up on this machine;
        // either way nothing may be lost or reordered.
        var spool = SpoolContent.Read(run.SpoolPath!);
        Assert.Equal(2 * 3 * perThread, spool.PointCount);
        var perKey = spool
            .Batches.SelectMany(b => System.Text.Json.JsonDocument.Parse(b.Body).RootElement.GetProperty("points").EnumerateArray())
            .GroupBy(p => p.GetProperty("key").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(p => p.GetProperty("step").GetInt64()).Order().ToArray());
        Assert.Equal(6, perKey.Count);
        Assert.All(perKey.Values, steps => Assert.Equal(Enumerable.Range(0, perThread).Select(i => (long)i), steps));
    }
}
