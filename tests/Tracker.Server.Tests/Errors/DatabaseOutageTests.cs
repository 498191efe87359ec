using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tracker.Sdk.Contracts;
using Tracker.Server.Tests.Api;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Errors;

/// <summary>While PostgreSQL is down, the API answers 503 with <c>Retry-After</c> (problem+json, or MLflow's
/// <c>TEMPORARILY_UNAVAILABLE</c>) instead of 500, <c>/readyz</c> says not ready without the error text, and once the
/// database is back the same requests succeed. The cluster is the test's own: the shared one serves other classes.</summary>
[Trait("Store", "Postgres")]
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task Ingest_during_a_database_outage_is_503_with_retry_after_and_succeeds_after_restart()
    {
        // Durable (fsync and synchronous commit on): the pause is an immediate shutdown, and a throwaway cluster would
        // lose batches it had acknowledged just before it.
        using var cluster = PostgresCluster.StartDedicated(durable: true);
        await using var server = TrackerServer.Start(
            StoreKind.Postgres,
            new Dictionary<string, string?> { ["ConnectionStrings:Tracker"] = cluster.CreateDatabase("outage") }
        );
        var run = (await server.CreateClient().CreateRunAsync("outage", new CreateRunRequest())).Id;
        using var http = server.CreateHttpClient();
        using var anonymous = server.CreateHttpClient(null);
        Assert.Equal(HttpStatusCode.OK, (await PostBatchAsync(http, run, 1)).StatusCode);

        cluster.Pause();
        try
        {
            using (var response = await PostBatchAsync(http, run, 2))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After");
            }
            using (var response = await http.GetAsync(new Uri($"api/v1/runs/{run}", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.NotNull(response.Headers.RetryAfter);
            }
            using (
                var response = await http.PostAsync(
                    new Uri("api/2.0/mlflow/runs/log-metric", UriKind.Relative),
                    new StringContent($"{{\"run_id\":\"{run}\",\"key\":\"acc\",\"value\":0.5,\"timestamp\":1,\"step\":3}}", Encoding.UTF8, "application/json")
                )
            )
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.NotNull(response.Headers.RetryAfter);
                var error = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("TEMPORARILY_UNAVAILABLE", error.GetProperty("error_code").GetString());
            }
            using (var response = await anonymous.GetAsync(new Uri("readyz", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                var body = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain("refused", body, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
                Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            }
        }
        finally
        {
            cluster.Resume();
        }

        // What a client honouring Retry-After does: retry the same batch until it is stored (pooled connections that
        // died with the server are dropped on first use).
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await PostBatchAsync(http, run, 2);
            status = response.StatusCode;
            if (status != HttpStatusCode.OK)
                await Task.Delay(200);
        } while (status != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("readyz", UriKind.Relative))).StatusCode);
        var series = await server.CreateClient().ListSeriesAsync(run);
        Assert.Equal(20, Assert.Single(series.Series).Summary.Count);
    }

    private static Task<HttpResponseMessage> PostBatchAsync(HttpClient http, string run, long seq) =>
        http.PostAsJsonAsync($"api/v1/runs/{run}/metrics", Points.Batch(seq, Points.Series("loss", (seq - 1) * 10, 10, s => 1.0 / (s + 1))));
}
