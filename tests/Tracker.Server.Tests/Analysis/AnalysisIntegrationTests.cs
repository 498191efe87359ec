using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.Server.Tests.Api;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Analysis;

/// <summary>The analyzers run on every ingested batch: advice in the acknowledgement, verdicts as events, rebuilt after a restart.</summary>
public abstract class AnalysisIntegrationTests(StoreKind kind)
{
    private static JsonElement Config(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public async Task Keras_patience_advice_comes_back_with_the_ingest_acknowledgement_and_survives_a_restart()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        var run = await client.CreateRunAsync(
            "advice",
            new CreateRunRequest(Config: Config("""{"lr": 0.1, "tracker.analysis": {"monitor": "val_loss", "patience": 2}}"""))
        );
        double[] valLoss = [1.0, 0.8, 0.9, 0.95];
        LogMetricsResponse? ack = null;
        for (var epoch = 0; epoch < valLoss.Length; epoch++)
        {
            ack = await client.LogMetricsAsync(run.Id, new LogMetricsRequest(epoch, [new MetricPointInput("val_loss", epoch, valLoss[epoch])]));
            // Keras: wait reaches patience (2) at the fourth evaluation, not before.
            Assert.Equal(epoch == 3, ack.Advice!.ShouldStop);
        }
        Assert.Equal(1, ack!.Advice!.BestStep);
        Assert.Contains("val_loss", ack.Advice.Reason, StringComparison.Ordinal);

        var analysis = await client.Http.GetFromJsonAsync($"api/v1/runs/{run.Id}/analysis", TrackerJsonContext.Default.RunAnalysisDto);
        Assert.True(analysis!.Advice!.ShouldStop);
        Assert.Equal(0.8, analysis.Advice.BestValue);
        var events = (await client.ListEventsAsync(run.Id)).Events.Where(e => e.Kind == "verdict").ToList();
        Assert.Contains(events, e => e.To == "stop");
        Assert.True((await client.GetRunAsync(run.Id)).Verdict!.ShouldStop);

        await server.RestartAsync();
        client = server.CreateClient();
        var rebuilt = await client.Http.GetFromJsonAsync($"api/v1/runs/{run.Id}/analysis", TrackerJsonContext.Default.RunAnalysisDto);
        Assert.True(rebuilt!.Advice!.ShouldStop);
        Assert.Equal(1, rebuilt.Advice.BestStep);
        Assert.Equal(4, rebuilt.Points);
        // Rebuilding reports nothing new: the verdicts were already stored before the restart.
        Assert.Equal(events.Count, (await client.ListEventsAsync(run.Id)).Events.Count(e => e.Kind == "verdict"));
    }

    [Fact]
    public async Task A_label_still_waiting_when_the_run_goes_quiet_takes_effect_so_the_final_verdict_is_that_of_the_final_points()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        var run = await client.CreateRunAsync("settle", new CreateRunRequest());
        MetricPointInput[] Steps(long from, int count) =>
            [
                .. Points.Series("loss", from, count, s => Scale.RunAnalysisOwnershipTests.Overfitting(s).Loss),
                .. Points.Series("val_loss", from, count, s => Scale.RunAnalysisOwnershipTests.Overfitting(s).ValLoss),
            ];
        // Both losses fall through step 149; from 150 the validation loss turns up.
        for (var seq = 0; seq < 5; seq++)
            await client.LogMetricsAsync(run.Id, Points.Batch(seq, Steps(seq * 30, 30)));
        var before = await client.GetRunAnalysisAsync(run.Id);
        Assert.NotEqual("overfitting", before.Pattern!.Label);
        Assert.NotEqual("overfitting", before.Pattern.Pending);

        // The run's last batch: the raw verdict turns to overfitting, but one evaluation is not a held label.
        await client.LogMetricsAsync(run.Id, Points.Batch(5, Steps(150, 250)));
        var waiting = await client.GetRunAnalysisAsync(run.Id);
        Assert.Equal(before.Pattern.Label, waiting.Pattern!.Label);
        Assert.Equal("overfitting", waiting.Pattern.Pending);

        // No further points come: the label takes effect once the run has been quiet for the settling time.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        RunAnalysisDto settled;
        do
        {
            await Task.Delay(100);
            settled = await client.GetRunAnalysisAsync(run.Id);
        } while (settled.Pattern!.Label != "overfitting" && clock.Elapsed < Server.Analysis.AnalyzerHost.SettleAfter + TimeSpan.FromSeconds(10));
        Assert.Equal("overfitting", settled.Pattern.Label);
        Assert.Null(settled.Pattern.Pending);
        Assert.True(clock.Elapsed >= Server.Analysis.AnalyzerHost.SettleAfter - TimeSpan.FromMilliseconds(300), $"settled after {clock.Elapsed}");
        Assert.Contains((await client.ListEventsAsync(run.Id)).Events, e => e.Kind == "verdict" && e.To == "overfitting");
    }

    [Fact]
    public async Task A_batch_that_overtakes_the_one_before_it_waits_for_it_so_the_analyzers_see_every_point()
    {
        // A long order wait, so that batch 2 comes within it however loaded the machine (the default is 250 ms).
        await using var server = TrackerServer.Start(kind, new Dictionary<string, string?> { ["Tracker:Analysis:OrderWait"] = "00:00:10" });
        var client = server.CreateClient();
        var inOrder = await client.CreateRunAsync("order", new CreateRunRequest(Name: "in order"));
        var overtaken = await client.CreateRunAsync("order", new CreateRunRequest(Name: "overtaken"));
        static LogMetricsRequest Batch(int seq) => OvertakenBatch(seq);
        for (var seq = 1; seq <= 3; seq++)
            await client.LogMetricsAsync(inOrder.Id, Batch(seq));

        // Two requests in flight, committed in the wrong order: batch 3 reaches the server before batch 2.
        await client.LogMetricsAsync(overtaken.Id, Batch(1));
        var third = client.LogMetricsAsync(overtaken.Id, Batch(3));
        await Task.Delay(50);
        await client.LogMetricsAsync(overtaken.Id, Batch(2));
        await third;

        var expected = await client.GetRunAnalysisAsync(inOrder.Id);
        var actual = await client.GetRunAnalysisAsync(overtaken.Id);
        // The lowest validation loss is batch 2's last step: had batch 3 been observed first, the analyzers would have dropped batch
        // 2's earlier steps, and the best step would be another.
        Assert.Equal(19, expected.Advice!.BestStep);
        Assert.Equal(Scale.RunAnalysisOwnershipTests.PointVerdicts(expected), Scale.RunAnalysisOwnershipTests.PointVerdicts(actual));
    }

    /// <summary>Batch <paramref name="seq"/> (1–3) of a validation loss (the advice's monitor) whose minimum, 0.491, is at step 19, the end of batch 2.</summary>
    internal static LogMetricsRequest OvertakenBatch(int seq) => Points.Batch(seq, Points.Series("val_loss", (seq - 1) * 10L, 10, s => s switch
                {
                    < 10 => 1 - 0.01 * s,
                    < 20 => 0.5 - 0.001 * (s - 10),
                    _ => 0.8,
                }));

    [Fact]
    public async Task A_batch_whose_predecessor_never_comes_is_observed_after_a_short_wait()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        var run = await client.CreateRunAsync("order", new CreateRunRequest());
        await client.LogMetricsAsync(run.Id, Points.Batch(1, Points.Series("loss", 0, 10, s => 1.0 / (1 + s))));
        // Numbers 2–4 never come (failed, or a client whose numbers skip): batch 5 waits for them, then is observed.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ack = await client.LogMetricsAsync(run.Id, Points.Batch(5, Points.Series("loss", 10, 10, s => 1.0 / (1 + s))));
        Assert.True(clock.Elapsed >= new Server.Hosting.AnalysisOptions().OrderWait - TimeSpan.FromMilliseconds(20), $"acknowledged after {clock.Elapsed}");
        Assert.NotNull(ack.Advice);
        Assert.Equal(20, (await client.GetRunAnalysisAsync(run.Id)).Points);
    }

    [Fact]
    public async Task A_diverging_run_is_labelled_and_the_project_view_counts_it()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        var healthy = await client.CreateRunAsync("triage", new CreateRunRequest(Name: "healthy"));
        var diverging = await client.CreateRunAsync("triage", new CreateRunRequest(Name: "diverging"));
        await client.LogMetricsAsync(
            healthy.Id,
            new LogMetricsRequest(0, [.. Enumerable.Range(0, 50).Select(i => new MetricPointInput("loss", i, 1.0 / (i + 1)))])
        );
        var points = Enumerable
            .Range(0, 30)
            .Select(i => new MetricPointInput("loss", i, Math.Pow(1.5, i)))
            .Append(new MetricPointInput("loss", 30, double.NaN))
            .ToArray();
        var ack = await client.LogMetricsAsync(diverging.Id, new LogMetricsRequest(0, points));
        Assert.Equal("diverging", ack.Advice!.Pattern);

        var analysis = await client.Http.GetFromJsonAsync($"api/v1/runs/{diverging.Id}/analysis", TrackerJsonContext.Default.RunAnalysisDto);
        Assert.Equal("diverging", analysis!.Pattern!.Label);
        Assert.InRange(analysis.Pattern.Confidence!.Value, 0, 1);
        Assert.Contains("learning rate", analysis.Pattern.Action, StringComparison.OrdinalIgnoreCase);
        Assert.Contains((await client.ListEventsAsync(diverging.Id)).Events, e => e.Kind == "verdict" && e.To == "diverging");

        var project = await client.Http.GetFromJsonAsync("api/v1/projects/triage/analysis", TrackerJsonContext.Default.ProjectAnalysisDto);
        Assert.Equal(1, project!.Counts["diverging"]);
        Assert.Equal(diverging.Id, project.Runs["diverging"].Single().Id);
        Assert.Equal(2, project.Counts.Values.Sum());
    }

    [Fact]
    public async Task Project_defaults_apply_between_server_defaults_and_the_run_config()
    {
        await using var server = TrackerServer.Start(kind, new Dictionary<string, string?> { ["Tracker:Analysis:Defaults:patience"] = "3" });
        var client = server.CreateClient();
        await client.CreateProjectAsync(new CreateProjectRequest("defaults"));
        var bad = await Assert.ThrowsAsync<TrackerApiException>(() =>
            client.UpdateProjectAsync("defaults", new UpdateProjectRequest(AnalysisDefaults: Config("""{"patience": -2}""")))
        );
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("analysisDefaults", bad.Detail, StringComparison.Ordinal);
        var project = await client.UpdateProjectAsync("defaults", new UpdateProjectRequest(AnalysisDefaults: Config("""{"patience": 1}""")));
        Assert.Equal(1, project.AnalysisDefaults!.Value.GetProperty("patience").GetInt32());

        // The server says 3, the project 1, the run nothing: patience 1 (stop at the second non-improvement).
        var run = await client.CreateRunAsync("defaults", new CreateRunRequest());
        var acks = new List<bool>();
        double[] valLoss = [1.0, 0.8, 0.9];
        for (var epoch = 0; epoch < valLoss.Length; epoch++)
        {
            acks.Add(
                (await client.LogMetricsAsync(run.Id, new LogMetricsRequest(epoch, [new MetricPointInput("val_loss", epoch, valLoss[epoch])])))
                    .Advice!
                    .ShouldStop
            );
        }
        Assert.Equal([false, false, true], acks);

        // A run's own entry wins: patience 5 keeps going.
        var own = await client.CreateRunAsync("defaults", new CreateRunRequest(Config: Config("""{"tracker.analysis": {"patience": 5}}""")));
        for (var epoch = 0; epoch < valLoss.Length; epoch++)
        {
            Assert.False(
                (await client.LogMetricsAsync(own.Id, new LogMetricsRequest(epoch, [new MetricPointInput("val_loss", epoch, valLoss[epoch])])))
                    .Advice!
                    .ShouldStop
            );
        }
    }

    [Fact]
    public async Task An_invalid_analysis_config_is_rejected_naming_the_entry()
    {
        await using var server = TrackerServer.Start(kind);
        using var http = server.CreateHttpClient();
        using var response = await http.PostAsJsonAsync(
            "api/v1/projects/bad/runs",
            new CreateRunRequest(Config: Config("""{"tracker.analysis": {"patience": "many"}}""")),
            TrackerJsonContext.Default.CreateRunRequest
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("config.tracker.analysis", out var message), problem.ToString());
        Assert.Contains("patience", message[0].GetString(), StringComparison.Ordinal);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresAnalysisIntegrationTests() : AnalysisIntegrationTests(StoreKind.Postgres);

[Trait("Store", "Sqlite")]
public sealed class SqliteAnalysisIntegrationTests() : AnalysisIntegrationTests(StoreKind.Sqlite);
