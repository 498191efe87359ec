using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Tests.Api;

/// <summary>Bad input gets a 4xx problem+json naming the field, and nothing of the batch is stored.</summary>
public abstract class BadInputTests(ServerFixture fixture)
{
    private async Task<string> NewRunAsync() => (await fixture.Server.CreateClient().CreateRunAsync("bad", new CreateRunRequest())).Id;

    private async Task<(HttpStatusCode Status, JsonElement Problem)> PostAsync(string url, string body)
    {
        using var http = fixture.Server.CreateHttpClient();
        using var response = await http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, problem);
    }

    private async Task AssertNothingStoredAsync(string runId)
    {
        var series = await fixture.Server.CreateClient().ListSeriesAsync(runId);
        Assert.Empty(series.Series);
    }

    [Theory]
    [InlineData("{\"seq\": 1, \"points\": [", "$")]
    [InlineData("not json", "$")]
    [InlineData("{\"points\": []}", "seq")]
    [InlineData("{\"seq\": \"one\", \"points\": []}", "seq")]
    [InlineData("{\"seq\": 1}", "points")]
    [InlineData("{\"seq\": 1, \"points\": {}}", "points")]
    [InlineData(
        "{\"seq\": 1, \"points\": [{\"key\": \"loss\", \"step\": 0, \"value\": 1}, {\"key\": \"loss\", \"step\": \"x\", \"value\": 1}]}",
        "points[1].step"
    )]
    [InlineData("{\"seq\": 1, \"points\": [{\"key\": \"loss\", \"step\": -1, \"value\": 1}]}", "points[0].step")]
    [InlineData("{\"seq\": 1, \"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": \"high\"}]}", "points[0].value")]
    [InlineData("{\"seq\": 1, \"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": null}]}", "points[0].value")]
    [InlineData("{\"seq\": 1, \"points\": [{\"key\": \"loss\", \"step\": 1}]}", "points[0].value")]
    [InlineData("{\"seq\": 1, \"points\": [{\"key\": 5, \"step\": 1, \"value\": 1}]}", "points[0].key")]
    [InlineData("{\"seq\": 1, \"points\": [{\"key\": \"a,b\", \"step\": 1, \"value\": 1}]}", "points[0].key")]
    [InlineData("{\"seq\": 1, \"points\": [{\"key\": \"\", \"step\": 1, \"value\": 1}]}", "points[0].key")]
    [InlineData("{\"seq\": 1, \"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": 1, \"time\": \"now\"}]}", "points[0].time")]
    public async Task Malformed_batches_are_rejected_with_the_field_and_store_nothing(string body, string field)
    {
        var run = await NewRunAsync();
        var (status, problem) = await PostAsync($"api/v1/runs/{run}/metrics", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        await AssertNothingStoredAsync(run);
    }

    [Fact]
    public async Task An_over_long_key_is_rejected()
    {
        var run = await NewRunAsync();
        var key = new string('k', 251);
        var (status, problem) = await PostAsync(
            $"api/v1/runs/{run}/metrics",
            $"{{\"seq\":1,\"points\":[{{\"key\":\"ok\",\"step\":0,\"value\":1}},{{\"key\":\"{key}\",\"step\":0,\"value\":1}}]}}"
        );
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("250", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("points[1].key", out _));
        await AssertNothingStoredAsync(run);
    }

    [Fact]
    public async Task A_batch_over_the_point_limit_is_413_and_stores_nothing()
    {
        var run = await NewRunAsync();
        var points = string.Join(',', Enumerable.Range(0, 10_001).Select(i => $"{{\"key\":\"loss\",\"step\":{i},\"value\":1}}"));
        var (status, problem) = await PostAsync($"api/v1/runs/{run}/metrics", $"{{\"seq\":1,\"points\":[{points}]}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("points", problem.GetProperty("field").GetString());
        Assert.Contains("10000", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingStoredAsync(run);
    }

    [Fact]
    public async Task A_body_over_the_byte_limit_is_413()
    {
        var run = await NewRunAsync();
        var padding = new string(' ', 8 * 1024 * 1024);
        var (status, problem) = await PostAsync($"api/v1/runs/{run}/metrics", $"{{\"seq\":1,{padding}\"points\":[]}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("body", problem.GetProperty("field").GetString());
        await AssertNothingStoredAsync(run);
    }

    [Theory]
    [InlineData("projects", "{\"name\": \"Not A Slug\"}", "name")]
    [InlineData("projects", "{\"name\": 42}", "$.name")]
    [InlineData("projects/p1/runs", "{\"tags\": \"not-a-list\"}", "$.tags")]
    [InlineData("projects/p1/runs", "{\"config\": [1, 2]}", "config")]
    [InlineData("projects/p1/runs", "{\"id\": \"has space\"}", "id")]
    [InlineData("projects/p1/runs", "{\"tags\": [\"\"]}", "tags[0]")]
    [InlineData("keys", "{\"scope\": \"root\"}", "$.scope")]
    public async Task Invalid_resources_name_the_field(string path, string body, string field)
    {
        var (status, problem) = await PostAsync($"api/v1/{path}", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Invalid_query_parameters_name_the_parameter()
    {
        var run = await NewRunAsync();
        using var http = fixture.Server.CreateHttpClient();
        foreach (
            var (url, field) in new[]
            {
                ("api/v1/projects/bad/runs?sort=color", "sort"),
                ("api/v1/projects/bad/runs?state=sleeping", "state"),
                ("api/v1/projects/bad/runs?limit=0", "limit"),
                ("api/v1/projects/bad/runs?updatedSince=yesterday", "updatedSince"),
                ($"api/v1/runs/{run}/metrics/loss?maxPoints=0", "maxPoints"),
                ($"api/v1/runs/{run}/metrics/loss?fromStep=10&toStep=5", "toStep"),
                ($"api/v1/runs/{run}/metrics/loss?cursor=%%%", "cursor"),
            }
        )
        {
            using var response = await http.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{url}: {problem}");
        }
    }

    [Fact]
    public async Task Unknown_runs_and_series_are_404_problems()
    {
        using var http = fixture.Server.CreateHttpClient();
        foreach (var url in new[] { "api/v1/runs/nope", "api/v1/runs/nope/metrics", "api/v1/projects/nope" })
        {
            using var response = await http.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        var (status, _) = await PostAsync("api/v1/runs/nope/metrics", "{\"seq\":1,\"points\":[]}");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresBadInputTests(PostgresServerFixture fixture) : BadInputTests(fixture), IClassFixture<PostgresServerFixture>;

[Trait("Store", "Sqlite")]
public sealed class SqliteBadInputTests(SqliteServerFixture fixture) : BadInputTests(fixture), IClassFixture<SqliteServerFixture>;
