using Npgsql;

namespace Tracker.Server.Hosting;

/// <summary>Runs start-up work (migrations, the admin key's seed) once at a time per deployment: on PostgreSQL under a
/// session-level <c>pg_advisory_lock</c> held on its own connection, so replicas that start together wait for each other;
/// on SQLite (one process by design) directly.</summary>
internal static class DeploymentLock
{
    /// <summary>The advisory lock's key ("TRKMIGRA" as a big-endian int64).</summary>
    public const long Key = 0x54524B4D49475241;

    public static async Task RunAsync(IServiceProvider services, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var dataSource = services.GetService<NpgsqlDataSource>();
        if (dataSource is null)
        {
            await work(cancellationToken);
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection))
        {
            // Waiting for another replica's migrations is the point: no command timeout, only the host's cancellation.
            take.CommandTimeout = 0;
            take.Parameters.AddWithValue(Key);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            await work(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            release.Parameters.AddWithValue(Key);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
