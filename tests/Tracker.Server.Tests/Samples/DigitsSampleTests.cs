using Tracker.Samples.Digits;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Samples;

/// <summary>The digits sample against an in-process server: a checkpoint every epoch, <c>keep_best: 1</c>, and the best
/// one restored at the end.</summary>
public sealed class DigitsSampleTests
{
    [Fact]
    public async Task The_digits_sample_keeps_only_its_best_checkpoint_and_restores_it()
    {
        await using var server = TrackerServer.Start(StoreKind.Sqlite);
        using var output = new StringWriter();
        var result = await DigitsTraining.RunAsync(
            new DigitsSettings
            {
                Epochs = 12,
                Project = "digits-sample",
                Url = server.BaseAddress,
                ApiKey = TrackerServer.AdminKey,
                Output = output,
            }
        );
        var client = server.CreateClient();

        // The best epoch by the monitor, as the server stored it: the earliest lowest val_loss.
        var valLoss = await client.GetHistoryAsync(result.RunId, "val_loss");
        Assert.Equal(result.EpochsRun, valLoss.Count);
        var best = valLoss.Points.OrderBy(p => p.Value).ThenBy(p => p.Step).First();
        Assert.Equal(best.Step, result.BestStep);
        Assert.Equal(best.Value, result.BestValLoss);

        // One checkpoint per epoch was saved; retention kept exactly one: the best.
        var checkpoints = (await client.ListArtifactsAsync(result.RunId)).Artifacts.Where(a => a.Kind == "checkpoint").ToList();
        var kept = Assert.Single(checkpoints);
        Assert.Equal(best.Step, kept.Step);
        Assert.Equal(best.Value, kept.MetricValue);
        Assert.Equal("val_loss", kept.Monitor);
        Assert.Equal(kept.Path, (await client.GetBestCheckpointAsync(result.RunId))!.Path);

        // The sample downloaded and loaded it: the restored model scores exactly as the best epoch did.
        Assert.NotNull(result.Checkpoint);
        Assert.Equal(kept.Path, result.Checkpoint.Path);
        Assert.Equal(result.BestValLoss, result.RestoredValLoss);
        Assert.Equal(result.BestValAccuracy, result.RestoredValAccuracy);
        Assert.Contains("= the best epoch's", output.ToString(), StringComparison.Ordinal);
    }
}
