using Tracker.Sdk;

namespace Tracker.Sdk.Tests;

/// <summary>Without a server, the same analyzers run in-process so <c>run.Advice</c> still works.</summary>
public sealed class OfflineAdviceTests
{
    [Fact]
    public async Task Offline_runs_get_Keras_early_stopping_advice_in_process()
    {
        var spoolDir = TestRuns.TempDir();
        var options = TestRuns.Options(
            new Uri("http://127.0.0.1:9/"),
            spoolDir,
            mode: TrackerMode.Offline,
            config: new Dictionary<string, object>
            {
                ["lr"] = 0.1,
                ["tracker.analysis"] = new Dictionary<string, object> { ["monitor"] = "val_loss", ["patience"] = 2 },
            }
        );
        await using var run = await TrackerRun.StartAsync(options);
        var changed = new TaskCompletionSource<RunAdvice>(TaskCreationOptions.RunContinuationsAsynchronously);
        run.AdviceChanged += (_, advice) =>
        {
            if (advice.ShouldStop)
                changed.TrySetResult(advice);
        };
        double[] valLoss = [1.0, 0.8, 0.9, 0.95];
        for (var epoch = 0; epoch < valLoss.Length; epoch++)
            run.Log(epoch, ("val_loss", valLoss[epoch]));

        var stop = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(stop.ShouldStop);
        Assert.Equal(1, stop.BestStep);
        Assert.True(run.Advice.ShouldStop);
        await run.FinishAsync();
    }
}
