using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Api;

/// <summary><c>Tracker:Limits</c>: a run past a configured bound is refused with 400 naming the field, and nothing of
/// the refused request is stored. The limits here are tiny so that each is reached with a few bytes.</summary>
public abstract class LimitTests(LimitedServerFixture fixture)
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string url, string json)
    {
        using var http = fixture.Server.CreateHttpClient();
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Theory]
    [InlineData(
        "{\"config\": {\"lr\": \"" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" + "\"}}",
        "config"
    )]
    [InlineData("{\"name\": \"elevenchars\"}", "name")]
    [InlineData("{\"tags\": [\"a\", \"b\", \"c\"]}", "tags")]
    [InlineData("{\"tags\": [\"sixsix\"]}", "tags[0]")]
    [InlineData("{\"notes\": \"twenty-one characters\"}", "notes")]
    public async Task A_run_past_a_limit_is_refused_naming_the_field(string body, string field)
    {
        var (status, problem) = await SendAsync(HttpMethod.Post, "api/v1/projects/limits/runs", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task An_update_past_a_limit_is_refused()
    {
        var run = (await fixture.Server.CreateClient().CreateRunAsync("limits", new CreateRunRequest())).Id;
        var (status, problem) = await SendAsync(HttpMethod.Patch, $"api/v1/runs/{run}", "{\"notes\": \"twenty-one characters\"}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("notes", out _), problem.ToString());
    }

    [Fact]
    public async Task A_batch_that_would_pass_the_series_limit_stores_nothing()
    {
        var run = (await fixture.Server.CreateClient().CreateRunAsync("limits", new CreateRunRequest())).Id;
        var ok =
            "{\"seq\":1,\"points\":[{\"key\":\"a\",\"step\":0,\"value\":1},{\"key\":\"b\",\"step\":0,\"value\":1},{\"key\":\"c\",\"step\":0,\"value\":1}]}";
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"api/v1/runs/{run}/metrics", ok)).Status);
        var over = "{\"seq\":2,\"points\":[{\"key\":\"a\",\"step\":1,\"value\":2},{\"key\":\"d\",\"step\":1,\"value\":1}]}";
        var (status, problem) = await SendAsync(HttpMethod.Post, $"api/v1/runs/{run}/metrics", over);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("points", out _), problem.ToString());
        var series = await fixture.Server.CreateClient().ListSeriesAsync(run);
        Assert.Equal(["a", "b", "c"], series.Series.Select(s => s.Key).Order());
        Assert.All(series.Series, s => Assert.Equal(1, s.Summary.Count));

        // Through MLflow the same bound holds, as INVALID_PARAMETER_VALUE.
        var (mlflowStatus, error) = await SendAsync(
            HttpMethod.Post,
            "api/2.0/mlflow/runs/log-metric",
            $"{{\"run_id\":\"{run}\",\"key\":\"e\",\"value\":1,\"timestamp\":1,\"step\":0}}"
        );
        Assert.Equal(HttpStatusCode.BadRequest, mlflowStatus);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task Mlflow_params_past_the_config_limit_are_refused()
    {
        var run = (await fixture.Server.CreateClient().CreateRunAsync("limits", new CreateRunRequest())).Id;
        var (status, error) = await SendAsync(
            HttpMethod.Post,
            "api/2.0/mlflow/runs/log-parameter",
            $"{{\"run_id\":\"{run}\",\"key\":\"p\",\"value\":\"{new string('v', 200)}\"}}"
        );
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", error.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task Page_size_is_capped()
    {
        await fixture.Server.CreateClient().CreateRunAsync("limits", new CreateRunRequest());
        using var http = fixture.Server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("api/v1/projects/limits/runs?limit=5", UriKind.Relative))).StatusCode);
        using var response = await http.GetAsync(new Uri("api/v1/projects/limits/runs?limit=6", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _), problem.ToString());
    }
}

/// <summary>A server with tiny <c>Tracker:Limits</c>.</summary>
public abstract class LimitedServerFixture(StoreKind kind) : IAsyncLifetime
{
    public TrackerServer Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = TrackerServer.Start(
            kind,
            new Dictionary<string, string?>
            {
                ["Tracker:Limits:MaxConfigBytes"] = "100",
                ["Tracker:Limits:MaxSeriesPerRun"] = "3",
                ["Tracker:Limits:MaxTags"] = "2",
                ["Tracker:Limits:MaxTagLength"] = "5",
                ["Tracker:Limits:MaxRunNameLength"] = "10",
                ["Tracker:Limits:MaxNotesLength"] = "20",
                ["Tracker:Limits:MaxPageSize"] = "5",
            }
        );
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class PostgresLimitedServerFixture() : LimitedServerFixture(StoreKind.Postgres);

public sealed class SqliteLimitedServerFixture() : LimitedServerFixture(StoreKind.Sqlite);

[Trait("Store", "Postgres")]
public sealed class PostgresLimitTests(PostgresLimitedServerFixture fixture) : LimitTests(fixture), IClassFixture<PostgresLimitedServerFixture>;

[Trait("Store", "Sqlite")]
public sealed class SqliteLimitTests(SqliteLimitedServerFixture fixture) : LimitTests(fixture), IClassFixture<SqliteLimitedServerFixture>;
