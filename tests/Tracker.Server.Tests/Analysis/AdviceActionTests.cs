using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Analysis;

/// <summary>The acknowledgement's advice says what to do: the pattern's action, or stop (and which step to restore).</summary>
public abstract class AdviceActionTests(StoreKind kind)
{
    private static JsonElement Config(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public async Task Keras_restore_best_weights_and_verbose_are_accepted_and_the_stop_advice_names_the_best_step()
    {
        await using var server = TrackerServer.Start(kind);
        using var http = server.CreateHttpClient();
        using var created = await http.PostAsJsonAsync(
            "api/v1/projects/keras/runs",
            new CreateRunRequest(
                Config: Config("""{"tracker.analysis": {"monitor": "val_loss", "patience": 3, "restore_best_weights": true, "verbose": 1}}""")
            ),
            TrackerJsonContext.Default.CreateRunRequest
        );
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var run = (await created.Content.ReadFromJsonAsync(TrackerJsonContext.Default.RunDto))!;

        var client = server.CreateClient();
        double[] valLoss = [1.0, 0.8, 0.9, 0.95, 0.97];
        LogMetricsResponse? ack = null;
        for (var epoch = 0; epoch < valLoss.Length; epoch++)
        {
            ack = await client.LogMetricsAsync(run.Id, new LogMetricsRequest(epoch, [new MetricPointInput("val_loss", epoch, valLoss[epoch])]));
            Assert.Equal(epoch == 4, ack.Advice!.ShouldStop);
            Assert.False(string.IsNullOrEmpty(ack.Advice.Action));
            if (epoch < 4)
                Assert.DoesNotContain("stop", ack.Advice.Action, StringComparison.Ordinal);
        }
        Assert.Equal(1, ack!.Advice!.BestStep);
        Assert.Equal("stop training and restore the weights of step 1 (best val_loss)", ack.Advice.Action);

        var analysis = await client.Http.GetFromJsonAsync($"api/v1/runs/{run.Id}/analysis", TrackerJsonContext.Default.RunAnalysisDto);
        Assert.Equal(ack.Advice.Action, analysis!.Advice!.Action);
    }

    [Fact]
    public async Task Before_a_stop_the_ack_carries_the_pattern_and_its_action()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        var run = await client.CreateRunAsync("actions", new CreateRunRequest(Config: Config("""{"tracker.analysis": {"patience": 50}}""")));
        var points = Enumerable.Range(0, 200).Select(i => new MetricPointInput("loss", i, 0.1 + Math.Exp(-i / 20.0))).ToArray();
        var ack = await client.LogMetricsAsync(run.Id, new LogMetricsRequest(0, points));
        Assert.False(ack.Advice!.ShouldStop);
        Assert.NotNull(ack.Advice.Pattern);

        var analysis = await client.Http.GetFromJsonAsync($"api/v1/runs/{run.Id}/analysis", TrackerJsonContext.Default.RunAnalysisDto);
        Assert.Equal(analysis!.Pattern!.Label, ack.Advice.Pattern);
        Assert.Equal(analysis.Pattern.Action, ack.Advice.Action);
        Assert.Equal(analysis.Pattern.Action, analysis.Advice!.Action);
    }

    [Fact]
    public async Task A_wrongly_typed_restore_best_weights_is_a_400_naming_the_key()
    {
        await using var server = TrackerServer.Start(kind);
        using var http = server.CreateHttpClient();
        using var response = await http.PostAsJsonAsync(
            "api/v1/projects/keras/runs",
            new CreateRunRequest(Config: Config("""{"tracker.analysis": {"restore_best_weights": "yes"}}""")),
            TrackerJsonContext.Default.CreateRunRequest
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("config.tracker.analysis", out var message), problem.ToString());
        Assert.Contains("restore_best_weights", message[0].GetString(), StringComparison.Ordinal);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresAdviceActionTests() : AdviceActionTests(StoreKind.Postgres);

[Trait("Store", "Sqlite")]
public sealed class SqliteAdviceActionTests() : AdviceActionTests(StoreKind.Sqlite);
