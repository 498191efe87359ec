using System.Data.Common;
using Microsoft.Data.Sqlite;
using Tracker.Server.Hosting;

namespace Tracker.Server.Storage;

/// <summary>SQLite connections (pooled by Microsoft.Data.Sqlite) with the pragmas the tracker relies on.</summary>
internal sealed class SqliteConnectionFactory(string connectionString) : ITrackerConnectionFactory
{
    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string ConnectionString => connectionString;

    /// <summary>SQLite allows one writer at a time; metric writes queue here instead of spinning on SQLITE_BUSY.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    public string Describe() => $"SQLite {new SqliteConnectionStringBuilder(connectionString).DataSource}";

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pragma = connection.CreateCommand();
        // WAL is persistent (set at start-up); NORMAL sync is durable across process crashes in WAL mode.
        pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
