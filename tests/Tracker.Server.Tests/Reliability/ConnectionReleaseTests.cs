using System.Net.Http.Json;
using Npgsql;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Reliability;

/// <summary>A stopped server gives its PostgreSQL connections back: the suite starts hundreds of servers on one cluster
/// (and operators restart replicas), so a pool left open by each host fills <c>max_connections</c>.</summary>
public sealed class ConnectionReleaseTests
{
    [Fact]
    public async Task A_stopped_server_leaves_no_connection_open_on_its_database()
    {
        var server = TrackerServer.Start(StoreKind.Postgres);
        var database = new NpgsqlConnectionStringBuilder(server.ConnectionString).Database!;
        try
        {
            using (var http = server.CreateHttpClient())
            {
                // A few concurrent reads and writes, so that the pool holds more than one connection.
                var created = await http.PostAsJsonAsync(new Uri("api/v1/projects", UriKind.Relative), new { name = "release" });
                created.EnsureSuccessStatusCode();
                await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => http.GetAsync(new Uri("api/v1/projects", UriKind.Relative))));
            }
            Assert.True(await OpenConnectionsAsync(database) > 0);

            await server.StopAsync();

            Assert.Equal(0, await OpenConnectionsAsync(database));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<long> OpenConnectionsAsync(string database)
    {
        await using var conn = new NpgsqlConnection(PostgresCluster.Instance.AdminConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @db", conn);
        cmd.Parameters.AddWithValue("db", database);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
