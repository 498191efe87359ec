namespace Tracker.Sdk.Tests;

/// <summary>RunAdvice says what to do, online and offline; the parameter-update norm feeds the parameter-change criterion.</summary>
[Collection(SdkServerCollection.Name)]
public sealed class RunAdviceActionTests(SdkServerFixture fixture)
{
    private static readonly Dictionary<string, object> KerasConfig = new()
    {
        ["tracker.analysis"] = new Dictionary<string, object>
        {
            ["monitor"] = "val_loss",
            ["patience"] = 2,
            ["restore_best_weights"] = true,
            ["verbose"] = 1,
        },
    };

    [Theory]
    [InlineData(TrackerMode.Online)]
    [InlineData(TrackerMode.Offline)]
    public async Task RunAdvice_exposes_the_action_naming_the_step_to_restore(TrackerMode mode)
    {
        var url = mode == TrackerMode.Online ? fixture.Server.BaseAddress : new Uri("http://127.0.0.1:9/");
        await using var run = await TrackerRun.StartAsync(TestRuns.Options(url, TestRuns.TempDir(), mode: mode, config: KerasConfig));
        Assert.Equal("keep training", run.Advice.Action);
        var stopped = new TaskCompletionSource<RunAdvice>(TaskCreationOptions.RunContinuationsAsynchronously);
        run.AdviceChanged += (_, advice) =>
        {
            if (advice.ShouldStop)
                stopped.TrySetResult(advice);
        };
        double[] valLoss = [1.0, 0.8, 0.9, 0.95];
        for (var epoch = 0; epoch < valLoss.Length; epoch++)
            run.Log(epoch, ("val_loss", valLoss[epoch]));

        // The stop comes with the acknowledgement of the batch that holds epoch 3 (the server updates the advice inside the
        // ingest request). Under load that first ingest on the shared server (loading the run's analyzer from the database)
        // has taken over 10 s: wait as long as a slow machine needs, the assertion is what the advice says, not how fast.
        var stop = await stopped.Task.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(1, stop.BestStep);
        Assert.Equal("stop training and restore the weights of step 1 (best val_loss)", stop.Action);
        Assert.NotNull(stop.Pattern);
        await run.FinishAsync();
    }

    [Fact]
    public async Task A_stop_advice_names_the_best_checkpoint_to_restore()
    {
        var config = new Dictionary<string, object>(KerasConfig) { ["tracker.checkpoints"] = new Dictionary<string, object> { ["keep_best"] = 1 } };
        await using var run = await TrackerRun.StartAsync(TestRuns.Options(fixture.Server.BaseAddress, TestRuns.TempDir(), config: config));
        Assert.Null(run.Advice.BestCheckpoint);
        var withCheckpoint = new TaskCompletionSource<RunAdvice>(TaskCreationOptions.RunContinuationsAsynchronously);
        var paths = new List<string>();
        // The advice names the best checkpoint the server holds when it acknowledges; while epoch 1's upload is still on
        // its way (the uploads run in the background), that can be epoch 0's, and a later acknowledgement names epoch 1's.
        run.AdviceChanged += (_, advice) =>
        {
            lock (paths)
            {
                if (advice.ShouldStop && paths.Count > 1 && advice.BestCheckpoint == paths[1])
                    withCheckpoint.TrySetResult(advice);
            }
        };
        double[] valLoss = [1.0, 0.8, 0.9, 0.95];
        for (var epoch = 0; epoch < valLoss.Length; epoch++)
        {
            var path = await run.SaveCheckpointAsync(epoch, new MemoryStream([(byte)epoch]));
            lock (paths)
                paths.Add(path);
            run.Log(epoch, ("val_loss", valLoss[epoch]));
        }
        // The uploads run in the background: once they are in, the next acknowledgement's advice names the kept one.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        for (var epoch = valLoss.Length; !withCheckpoint.Task.IsCompleted && DateTime.UtcNow < deadline; epoch++)
        {
            await Task.Delay(200);
            if (run.PendingArtifacts == 0)
                run.Log(epoch, ("val_loss", 1.0 + epoch));
        }
        var stop = await withCheckpoint.Task.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(1, stop.BestStep);
        Assert.Equal(paths[1], stop.BestCheckpoint);
        Assert.Equal(paths[1], run.Advice.BestCheckpoint);
        var restored = Path.Combine(TestRuns.TempDir(), "restored.ckpt");
        Assert.Equal(paths[1], (await run.DownloadBestCheckpointAsync(restored))?.Path);
        Assert.Equal([1], await File.ReadAllBytesAsync(restored));
        await run.FinishAsync();
    }

    [Fact]
    public void Parameter_update_norm_matches_a_hand_computed_norm()
    {
        // θ_{t−1} = (1, 2, 3, −1), θ_t = (4, 6, 3, −1): Δ = (3, 4, 0, 0), ‖Δ‖₂ = 5.
        Assert.Equal(5.0, TrackerRun.ParameterUpdateNorm([1.0, 2.0, 3.0, -1.0], [4.0, 6.0, 3.0, -1.0]), 12);
        Assert.Equal(5.0, TrackerRun.ParameterUpdateNorm([1f, 2f, 3f, -1f], [4f, 6f, 3f, -1f]), 6);
        Assert.Equal(0.0, TrackerRun.ParameterUpdateNorm(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty));

        // 100 000 parameters (several chunks) each moved by 0.5: ‖Δ‖₂ = 0.5·√100000 = 158.11388…
        var before = new float[100_000];
        var after = new float[100_000];
        for (var i = 0; i < before.Length; i++)
            (before[i], after[i]) = (i * 1e-3f, (i * 1e-3f) + 0.5f);
        Assert.Equal(0.5 * Math.Sqrt(100_000), TrackerRun.ParameterUpdateNorm(before, after), 1e-2);
        Assert.Throws<ArgumentException>(() => TrackerRun.ParameterUpdateNorm(new float[3], new float[2]));
    }

    [Fact]
    public async Task Parameter_update_norms_are_stored_as_param_delta_norm()
    {
        var run = await TrackerRun.StartAsync(TestRuns.Options(fixture.Server.BaseAddress, TestRuns.TempDir()));
        run.LogParameterUpdateNorm(0, [1.0, 2.0, 3.0], [4.0, 6.0, 3.0]);
        run.LogParameterUpdateNorm(1, [0f, 0f], [0.6f, 0.8f]);
        run.LogParameterUpdateNorm(2, 0.25);
        await run.FinishAsync();

        var points = await TestRuns.ReadAllAsync(fixture.Server.CreateClient(), run.Id, TrackerRun.ParameterUpdateNormKey);
        Assert.Equal([0L, 1L, 2L], points.Select(p => p.Step));
        Assert.Equal(5.0, points[0].Value, 12);
        Assert.Equal(1.0, points[1].Value, 6);
        Assert.Equal(0.25, points[2].Value);
    }
}
