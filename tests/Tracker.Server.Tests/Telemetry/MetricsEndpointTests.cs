using System.Net;
using Tracker.Sdk.Contracts;
using Tracker.Server.Tests.Api;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Telemetry;

/// <summary><c>/metrics</c>: the Prometheus exposition of the server's meter, per server (one host's counters do not
/// see another's), anonymous, and absent when <c>Tracker:Telemetry</c> turns it off.</summary>
[Trait("Store", "Sqlite")]
public sealed class MetricsEndpointTests
{
    private const string PointsCounter = "tracker_ingest_points_total";

    [Fact]
    public async Task Scrape_after_ingest_shows_the_points_counter_with_the_stored_count()
    {
        await using var server = TrackerServer.Start(StoreKind.Sqlite);
        await using var other = TrackerServer.Start(StoreKind.Sqlite);
        var client = server.CreateClient();
        var run = await client.CreateRunAsync("metrics", new CreateRunRequest());
        var points = Enumerable.Range(0, 250).Select(i => new MetricPointInput("loss", i, 1.0 / (i + 1))).ToArray();
        Assert.Equal(250, (await client.LogMetricsAsync(run.Id, Points.Batch(1, points))).Accepted);
        Assert.Equal(250, (await client.LogMetricsAsync(run.Id, Points.Batch(2, points.Select(p => p with { Key = "acc" }).ToArray()))).Accepted);
        await client.LogMetricsAsync(run.Id, Points.Batch(2, points)); // a repeated seq: a duplicate, not counted

        // Another server in the same process ingests too: its points must not show in the first one's counter.
        var otherClient = other.CreateClient();
        var otherRun = await otherClient.CreateRunAsync("metrics", new CreateRunRequest());
        await otherClient.LogMetricsAsync(otherRun.Id, Points.Batch(1, points));

        using var anonymous = server.CreateHttpClient(null);
        var text = await ScrapeUntilAsync(anonymous, t => PrometheusScrape.Value(t, PointsCounter) >= 500);
        Assert.Equal(500, PrometheusScrape.Value(text, PointsCounter));
        Assert.Contains("tracker_ingest_batches_total{", text, StringComparison.Ordinal);
        Assert.Contains("outcome=\"duplicate\"", text, StringComparison.Ordinal);
        Assert.True(PrometheusScrape.Value(text, "tracker_ingest_bytes_total") > 500 * 10);
        Assert.True(PrometheusScrape.Value(text, "tracker_ingest_batch_duration_seconds_count") >= 3);
    }

    [Fact]
    public async Task Analysis_and_hub_instruments_are_exported()
    {
        await using var server = TrackerServer.Start(StoreKind.Sqlite);
        var client = server.CreateClient();
        var run = await client.CreateRunAsync("metrics", new CreateRunRequest());
        for (var seq = 1; seq <= 3; seq++)
        {
            var points = Enumerable.Range(0, 100).Select(i => new MetricPointInput("loss", (seq * 100) + i, 1.0 / (i + 1))).ToArray();
            await client.LogMetricsAsync(run.Id, Points.Batch(seq, points));
        }
        await client.GetRunAnalysisAsync(run.Id);
        using var anonymous = server.CreateHttpClient(null);
        var text = await ScrapeUntilAsync(anonymous, t => PrometheusScrape.Value(t, "tracker_analysis_evaluations_total") >= 1);
        Assert.True(PrometheusScrape.Value(text, "tracker_analysis_lag_seconds_count") >= 1);
        Assert.Contains("tracker_experiments_queue_depth", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_endpoint_is_absent_when_prometheus_is_off()
    {
        await using var server = TrackerServer.Start(StoreKind.Sqlite, new Dictionary<string, string?> { ["Tracker:Telemetry:Prometheus"] = "false" });
        using var http = server.CreateHttpClient();
        using var response = await http.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> ScrapeUntilAsync(HttpClient http, Func<string, bool> done)
    {
        // The exporter caches a scrape for a moment: poll until the expected value shows or give up after 10 s.
        var text = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            using var response = await http.GetAsync(new Uri("metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            if (done(text))
                return text;
        }
        return text;
    }
}
