using System.Net;
using System.Net.Http.Json;
using System.Text;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Tests.Api;

/// <summary>API keys: 401 without one, scopes, project binding, revocation.</summary>
public abstract class AuthTests(ServerFixture fixture)
{
    private TrackerClient Admin => fixture.Server.CreateClient();

    [Theory]
    [InlineData(null)]
    [InlineData("trk_unknown_key")]
    public async Task Api_routes_need_a_valid_key(string? key)
    {
        using var http = fixture.Server.CreateHttpClient(key);
        foreach (var url in new[] { "api/v1/projects", "api/v1/runs/x", "api/v1/keys" })
        {
            using var response = await http.GetAsync(url);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        using var post = await http.PostAsync("api/v1/runs/x/metrics", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task Health_probes_need_no_key()
    {
        using var http = fixture.Server.CreateHttpClient(null);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        var ready = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("readyz");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        var openapi = await http.GetStringAsync("openapi/v1.json");
        Assert.Contains("/api/v1/runs/{id}/metrics", openapi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_key_can_read_but_not_write()
    {
        var run = await Admin.CreateRunAsync("readers", new CreateRunRequest());
        var key = await Admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read));
        var reader = fixture.Server.CreateClient(key.Key);
        Assert.Equal(run.Id, (await reader.GetRunAsync(run.Id)).Id);

        var e = await Assert.ThrowsAsync<TrackerApiException>(() => reader.LogMetricsAsync(run.Id, Points.Batch(1, new MetricPointInput("loss", 0, 1))));
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        e = await Assert.ThrowsAsync<TrackerApiException>(() => reader.CreateRunAsync("readers", new CreateRunRequest()));
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        e = await Assert.ThrowsAsync<TrackerApiException>(() => reader.ListKeysAsync());
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
    }

    [Fact]
    public async Task A_project_key_is_forbidden_on_other_projects()
    {
        var mine = await Admin.CreateRunAsync("mine", new CreateRunRequest());
        var theirs = await Admin.CreateRunAsync("theirs", new CreateRunRequest());
        var key = await Admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Write, Project: "mine"));
        var client = fixture.Server.CreateClient(key.Key);

        Assert.Equal(1, (await client.LogMetricsAsync(mine.Id, Points.Batch(1, new MetricPointInput("loss", 0, 1)))).Accepted);
        Assert.Equal(["mine"], (await client.ListProjectsAsync()).Projects.Select(p => p.Name));
        foreach (
            var call in new Func<Task>[]
            {
                () => client.LogMetricsAsync(theirs.Id, Points.Batch(1, new MetricPointInput("loss", 0, 1))),
                () => client.GetRunAsync(theirs.Id),
                () => client.ListRunsAsync("theirs"),
                () => client.CreateRunAsync("theirs", new CreateRunRequest()),
                () => client.GetHistoryAsync(theirs.Id, "loss"),
            }
        )
        {
            var e = await Assert.ThrowsAsync<TrackerApiException>(call);
            Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        }
        Assert.Empty((await Admin.ListSeriesAsync(theirs.Id)).Series);
    }

    [Fact]
    public async Task Keys_are_listed_without_secrets_and_revocation_takes_effect()
    {
        var created = await Admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Write, Name: "ci"));
        Assert.StartsWith("trk_", created.Key, StringComparison.Ordinal);
        var client = fixture.Server.CreateClient(created.Key);
        await client.ListProjectsAsync();

        var listed = await Admin.ListKeysAsync();
        var entry = listed.Keys.Single(k => k.Id == created.Info.Id);
        Assert.Equal(ApiKeyScope.Write, entry.Scope);
        Assert.NotNull(entry.LastUsedAt);
        using (var http = fixture.Server.CreateHttpClient())
        {
            Assert.DoesNotContain(created.Key, await http.GetStringAsync("api/v1/keys"), StringComparison.Ordinal);
        }

        await Admin.DeleteKeyAsync(created.Info.Id);
        var e = await Assert.ThrowsAsync<TrackerApiException>(() => client.ListProjectsAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
    }

    [Fact]
    public async Task Basic_auth_with_the_key_as_password_is_accepted()
    {
        using var http = fixture.Server.CreateHttpClient(null);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + TestSupport.TrackerServer.AdminKey))
        );
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v1/projects")).StatusCode);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresAuthTests(PostgresServerFixture fixture) : AuthTests(fixture), IClassFixture<PostgresServerFixture>;

[Trait("Store", "Sqlite")]
public sealed class SqliteAuthTests(SqliteServerFixture fixture) : AuthTests(fixture), IClassFixture<SqliteServerFixture>;
