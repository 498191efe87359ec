using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Api;

/// <summary>A query parameter that does not parse as its type (<c>?limit=y</c>) is an input error: 400 naming the
/// parameter, problem+json on v1 and MLflow's error body on MLflow's paths, in Production and in Development alike
/// (the framework's defaults are a bare 400 and a 500).</summary>
public abstract class ParameterBindingTests(EnvironmentServerFixture fixture)
{
    [Theory]
    [InlineData("api/v1/projects/binding/runs?limit=y", "limit")]
    [InlineData("api/v1/projects/binding/runs?limit=99999999999", "limit")]
    [InlineData("api/v1/runs/{run}/metrics/loss?maxPoints=x", "maxPoints")]
    [InlineData("api/v1/runs/{run}/metrics/loss?fromStep=1.5", "fromStep")]
    [InlineData("api/v1/runs/{run}/metrics/loss?toStep=ten", "toStep")]
    [InlineData("api/v1/runs/{run}/metrics/loss?limit=%00", "limit")]
    public async Task Malformed_v1_parameters_are_400_problems_naming_the_parameter(string url, string parameter)
    {
        var run = (await fixture.Server.CreateClient().CreateRunAsync("binding", new CreateRunRequest())).Id;
        using var http = fixture.Server.CreateHttpClient();
        using var response = await http.GetAsync(url.Replace("{run}", run, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
        Assert.Equal(parameter, problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("api/2.0/mlflow/metrics/get-history?run_id={run}&metric_key=loss&max_results=x", "max_results")]
    [InlineData("api/2.0/mlflow/experiments/search?max_results=many", "max_results")]
    [InlineData("ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids={run}&metric_key=loss&max_results=1e3", "max_results")]
    public async Task Malformed_mlflow_parameters_are_invalid_parameter_value(string url, string parameter)
    {
        var run = (await fixture.Server.CreateClient().CreateRunAsync("binding", new CreateRunRequest())).Id;
        using var http = fixture.Server.CreateHttpClient();
        using var response = await http.GetAsync(url.Replace("{run}", run, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("INVALID_PARAMETER_VALUE", error.GetProperty("error_code").GetString());
        Assert.Contains(parameter, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>A server per test class in a given host environment.</summary>
public abstract class EnvironmentServerFixture(StoreKind kind, string environment) : IAsyncLifetime
{
    public TrackerServer Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = TrackerServer.Start(kind, environment: environment);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class ProductionSqliteServerFixture() : EnvironmentServerFixture(StoreKind.Sqlite, "Production");

public sealed class DevelopmentPostgresServerFixture() : EnvironmentServerFixture(StoreKind.Postgres, "Development");

[Trait("Store", "Sqlite")]
public sealed class ProductionParameterBindingTests(ProductionSqliteServerFixture fixture)
    : ParameterBindingTests(fixture),
        IClassFixture<ProductionSqliteServerFixture>;

[Trait("Store", "Postgres")]
public sealed class DevelopmentParameterBindingTests(DevelopmentPostgresServerFixture fixture)
    : ParameterBindingTests(fixture),
        IClassFixture<DevelopmentPostgresServerFixture>;
