using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tracker.Server.Errors;
using Tracker.Server.Storage;

namespace Tracker.Server.Apis;

/// <summary><c>/healthz</c> (process alive) and <c>/readyz</c> (ASP.NET Core health checks: the database is reachable);
/// no authentication, and no error text in the answer — why a check failed goes to the server log only.</summary>
internal static class HealthApi
{
    public const string DatabaseCheck = "database";

    public static IServiceCollection AddTrackerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>(DatabaseCheck, HealthStatus.Unhealthy, ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }))
            .WithName("Healthz")
            .WithTags("Health")
            .AllowAnonymous()
            .WithSummary("The process is alive.");
        app.MapHealthChecks(
                "/readyz",
                new HealthCheckOptions
                {
                    Predicate = c => c.Tags.Contains("ready"),
                    ResponseWriter = WriteReadyAsync,
                    ResultStatusCodes =
                    {
                        [HealthStatus.Healthy] = StatusCodes.Status200OK,
                        [HealthStatus.Degraded] = StatusCodes.Status200OK,
                        [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                    },
                }
            )
            .WithName("Readyz")
            .WithTags("Health")
            .AllowAnonymous()
            .WithSummary("The database is reachable.");
        return app;
    }

    /// <summary><c>{"status":"ready","database":"Postgres"}</c>, or a 503 problem with <c>Retry-After</c> and only the
    /// fact that the database is not reachable.</summary>
    private static async Task WriteReadyAsync(HttpContext context, HealthReport report)
    {
        var database = report.Entries.TryGetValue(DatabaseCheck, out var entry) ? entry.Description : null;
        if (report.Status == HealthStatus.Unhealthy)
        {
            context.Response.Headers.RetryAfter = ApiExceptionHandler.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await TypedResults
                .Problem(
                    title: "Not ready",
                    detail: "The database is not reachable.",
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    extensions: new Dictionary<string, object?> { ["database"] = database }
                )
                .ExecuteAsync(context);
            return;
        }
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("status", "ready");
        writer.WriteString("database", database);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
