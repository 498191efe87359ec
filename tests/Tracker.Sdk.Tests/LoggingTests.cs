using System.Collections.Concurrent;
using System.Diagnostics;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Tests;

/// <summary>Logging against a healthy server: volume from many threads, summary, gradient norms, state on finish.</summary>
[Collection(SdkServerCollection.Name)]
public sealed class LoggingTests(SdkServerFixture fixture)
{
    [Fact]
    public async Task Hundred_thousand_points_from_four_threads_are_stored_exactly_once_in_order()
    {
        var warnings = new ConcurrentQueue<string>();
        var run = await TrackerRun.StartAsync(TestRuns.Options(fixture.Server.BaseAddress, TestRuns.TempDir(), warnings));
        const int perThread = 25_000;
        var threads = Enumerable
            .Range(0, 4)
            .Select(t => new Thread(() =>
            {
                var key = $"thread{t}/loss";
                for (var step = 0; step < perThread; step++)
                    run.Log(step, (key, step));
            }))
            .ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        await run.FinishAsync();

        Assert.Empty(warnings);
        var client = fixture.Server.CreateClient();
        var stored = await client.GetRunAsync(run.Id);
        Assert.Equal(RunState.Finished, stored.State);
        Assert.Equal(100_000, stored.Summary.Values.Sum(s => s.Count));
        for (var t = 0; t < 4; t++)
            await TestRuns.AssertSeriesAsync(client, run.Id, $"thread{t}/loss", perThread);
        Assert.False(File.Exists(run.SpoolPath));
    }

    [Fact]
    public async Task Gradient_norms_are_logged_per_layer_with_their_L2_total()
    {
        var run = await TrackerRun.StartAsync(TestRuns.Options(fixture.Server.BaseAddress, TestRuns.TempDir()));
        run.LogGradientNorms(0, ("w1", 3.0), ("w2", 4.0));
        run.LogGradientNorms(1, ("w1", new double[] { 3, 4 }), ("w2", new double[] { 0, 0 }));
        run.LogGradientNorms(2, ("w1", new float[] { 1, 1, 1, 1 }));
        run.Log(2, new Dictionary<string, double> { ["acc"] = 0.5 });
        await run.FinishAsync();

        var client = fixture.Server.CreateClient();
        var total = await TestRuns.ReadAllAsync(client, run.Id, "grad_norm/total");
        Assert.Equal([5.0, 5.0, 2.0], total.Select(p => p.Value).ToArray());
        var w1 = await TestRuns.ReadAllAsync(client, run.Id, "grad_norm/w1");
        Assert.Equal([3.0, 5.0, 2.0], w1.Select(p => p.Value).ToArray());
        Assert.Equal(0.5, run.Summary["acc"]);
        Assert.Equal(2.0, run.Summary["grad_norm/w1"], 6);
    }

    [Fact]
    public async Task An_exception_thrown_and_handled_on_another_thread_does_not_mark_the_run_failed()
    {
        string id;
        await using (var run = await TrackerRun.StartAsync(TestRuns.Options(fixture.Server.BaseAddress, TestRuns.TempDir())))
        {
            id = run.Id;
            run.Log(0, ("loss", 1.0));
            var other = new Thread(() =>
            {
                try
                {
                    throw new InvalidOperationException("a library's handled error, not the script's");
                }
                catch (InvalidOperationException) { }
            });
            other.Start();
            other.Join();
        }
        Assert.Equal(RunState.Finished, (await fixture.Server.CreateClient().GetRunAsync(id)).State);
    }

    [Fact]
    public async Task Disposing_while_an_exception_unwinds_marks_the_run_failed()
    {
        string? id = null;
        try
        {
            await using var run = await TrackerRun.StartAsync(TestRuns.Options(fixture.Server.BaseAddress, TestRuns.TempDir()));
            id = run.Id;
            run.Log(0, ("loss", 1.0));
            throw new InvalidOperationException("training blew up");
        }
        catch (InvalidOperationException) { }
        var stored = await fixture.Server.CreateClient().GetRunAsync(id!);
        Assert.Equal(RunState.Failed, stored.State);

        string id2;
        await using (var run = await TrackerRun.StartAsync(TestRuns.Options(fixture.Server.BaseAddress, TestRuns.TempDir())))
        {
            id2 = run.Id;
            run.Log(0, ("loss", 1.0));
        }
        Assert.Equal(RunState.Finished, (await fixture.Server.CreateClient().GetRunAsync(id2)).State);
    }

    [Fact]
    public async Task Disabled_mode_records_nothing_and_costs_nothing()
    {
        await using var run = await TrackerRun.StartAsync(new RunOptions { Mode = TrackerMode.Disabled });
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 100_000; i++)
            run.Log(i, ("loss", i));
        Assert.True(watch.ElapsedMilliseconds < 1000);
        Assert.Empty(run.Summary);
    }
}
