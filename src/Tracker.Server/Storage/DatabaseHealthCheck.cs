using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tracker.Server.Storage;

/// <summary>The database answers <c>SELECT 1</c> on a raw connection (the same pool the ingest path uses).</summary>
internal sealed class DatabaseHealthCheck(ITrackerConnectionFactory connections) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT 1";
            await cmd.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy(connections.Provider.ToString());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The exception goes to the health-check log, never into the anonymous answer.
            return HealthCheckResult.Unhealthy(connections.Provider.ToString(), e);
        }
    }
}
