using Microsoft.AspNetCore.Http.HttpResults;
using Tracker.Server.Storage;

namespace Tracker.Server.Apis;

/// <summary><c>/healthz</c> (process alive) and <c>/readyz</c> (database reachable); no authentication.</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).WithName("Healthz").WithTags("Health").AllowAnonymous()
            .WithSummary("The process is alive.");
        app.MapGet("/readyz", Ready).WithName("Readyz").WithTags("Health").AllowAnonymous()
            .WithSummary("The database is reachable.");
        return app;
    }

    internal static async Task<Results<Ok<ReadyStatus>, ProblemHttpResult>> Ready(ITrackerConnectionFactory connections, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT 1";
            await cmd.ExecuteScalarAsync(cancellationToken);
            return TypedResults.Ok(new ReadyStatus("ready", connections.Provider.ToString()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return TypedResults.Problem(detail: $"The database is not reachable: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready");
        }
    }

    internal sealed record ReadyStatus(string Status, string Database);
}
