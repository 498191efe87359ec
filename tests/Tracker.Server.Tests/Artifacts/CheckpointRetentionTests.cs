using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tracker.Sdk.Contracts;
using Tracker.Server.Tests.Api;
using Tracker.TestSupport;
using static Tracker.Server.Tests.Artifacts.ArtifactHttp;

namespace Tracker.Server.Tests.Artifacts;

/// <summary><c>tracker.checkpoints</c>: the best k by the early-stopping monitor and the last n stay, the rest go; the
/// stop advice names the checkpoint to restore.</summary>
public abstract class CheckpointRetentionTests(ServerFixture fixture)
{
    private TrackerServer Server => fixture.Server;

    [Fact]
    public async Task Of_100_checkpoints_exactly_the_best_k_and_the_last_n_remain()
    {
        var http = Server.CreateHttpClient();
        var client = Server.CreateClient();
        using var config = JsonDocument.Parse(
            """
            {"tracker.checkpoints": {"keep_best": 3, "keep_last": 2}, "tracker.analysis": {"monitor": "val_loss", "patience": 5}}
            """
        );
        var run = await client.CreateRunAsync("retention", new CreateRunRequest(Config: config.RootElement.Clone()));
        var noise = new Random(7);
        var valLoss = Enumerable.Range(0, 100).Select(e => (e - 40) * (e - 40) / 1000.0 + noise.NextDouble() * 0.05).ToArray();
        LogMetricsResponse? last = null;
        for (var epoch = 0; epoch < 100; epoch++)
        {
            var points = Points.Batch(epoch, new MetricPointInput("loss", epoch, 1.0 / (epoch + 1)), new MetricPointInput("val_loss", epoch, valLoss[epoch]));
            // Half the checkpoints arrive before their step's val_loss, half after.
            if (epoch % 2 == 0)
                await PutOkAsync(http, run.Id, $"ckpt/epoch-{epoch:D3}.pt", [(byte)epoch], $"step={epoch}&kind=checkpoint");
            last = await client.LogMetricsAsync(run.Id, points);
            if (epoch % 2 == 1)
                await PutOkAsync(http, run.Id, $"ckpt/epoch-{epoch:D3}.pt", [(byte)epoch], $"step={epoch}&kind=checkpoint");
        }

        var best = Enumerable.Range(0, 100).OrderBy(e => valLoss[e]).Take(3);
        var expected = best.Concat([98, 99]).Distinct().Order().Select(e => $"ckpt/epoch-{e:D3}.pt");
        var remaining = (await ListAsync(http, run.Id)).Artifacts;
        Assert.Equal(expected, remaining.Select(a => a.Path));
        Assert.All(remaining, a => Assert.Equal(valLoss[a.Step!.Value], a.MetricValue));
        Assert.All(remaining, a => Assert.Equal("val_loss", a.Monitor));

        var bestEpoch = Enumerable.Range(0, 100).MinBy(e => valLoss[e]);
        var restore = await http.GetFromJsonAsync($"api/v1/runs/{run.Id}/checkpoints/best", TrackerJsonContext.Default.ArtifactDto);
        Assert.Equal($"ckpt/epoch-{bestEpoch:D3}.pt", restore!.Path);

        // The advisor said stop long ago; its advice names that checkpoint.
        var advice = (await client.LogMetricsAsync(run.Id, Points.Batch(100, new MetricPointInput("loss", 100, 0.001)))).Advice;
        Assert.NotNull(advice);
        Assert.True(advice.ShouldStop);
        Assert.Equal(bestEpoch, advice.BestStep);
        Assert.Equal($"ckpt/epoch-{bestEpoch:D3}.pt", advice.BestCheckpoint);
        Assert.NotNull(last);
    }

    [Fact]
    public async Task Without_a_policy_every_checkpoint_stays_and_best_follows_the_mode()
    {
        var http = Server.CreateHttpClient();
        var client = Server.CreateClient();
        using var config = JsonDocument.Parse("""{"tracker.analysis": {"monitor": "val_acc", "mode": "max"}}""");
        var run = await client.CreateRunAsync("retention", new CreateRunRequest(Config: config.RootElement.Clone()));
        using (var none = await http.GetAsync($"api/v1/runs/{run.Id}/checkpoints/best"))
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        double[] acc = [0.5, 0.9, 0.7, 0.8];
        for (var step = 0; step < acc.Length; step++)
        {
            await client.LogMetricsAsync(run.Id, Points.Batch(step, new MetricPointInput("val_acc", step, acc[step])));
            await PutOkAsync(http, run.Id, $"c{step}.pt", [1], $"step={step}&kind=checkpoint");
        }
        Assert.Equal(4, (await ListAsync(http, run.Id)).Artifacts.Count);
        var restore = await http.GetFromJsonAsync($"api/v1/runs/{run.Id}/checkpoints/best", TrackerJsonContext.Default.ArtifactDto);
        Assert.Equal(("c1.pt", 0.9), (restore!.Path, restore.MetricValue!.Value));
    }
}

public sealed class PostgresCheckpointRetentionTests(PostgresServerFixture fixture) : CheckpointRetentionTests(fixture), IClassFixture<PostgresServerFixture>;

public sealed class SqliteCheckpointRetentionTests(SqliteServerFixture fixture) : CheckpointRetentionTests(fixture), IClassFixture<SqliteServerFixture>;
