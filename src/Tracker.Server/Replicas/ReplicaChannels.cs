using Npgsql;

namespace Tracker.Server.Replicas;

/// <summary>Names on the shared Redis: every channel of a deployment starts with <c>tracker:&lt;database&gt;:</c>, so that
/// deployments (or test servers) sharing one Redis but not one database never hear each other.</summary>
internal static class ReplicaChannels
{
    public static string Prefix(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Tracker");
        var database = "default";
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                database = new NpgsqlConnectionStringBuilder(connectionString).Database ?? database;
            }
            catch (ArgumentException)
            {
                database = connectionString; // not a PostgreSQL connection string (SQLite's Data Source=...)
            }
        }
        return $"tracker:{database}:";
    }
}
