using System.Data.Common;
using Microsoft.Data.Sqlite;
using Tracker.Server.Hosting;

namespace Tracker.Server.Storage;

/// <summary>SQLite connections (pooled by Microsoft.Data.Sqlite) with the pragmas the tracker relies on.</summary>
internal sealed class SqliteConnectionFactory(string connectionString, SqliteSynchronous synchronous = SqliteSynchronous.Full) : ITrackerConnectionFactory
{
    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string ConnectionString => connectionString;

    /// <summary>Run on every opened connection (raw and EF Core's): the durability level and a busy wait.
    /// WAL is persistent (set at start-up); with FULL every commit's WAL frames are fsynced before it is acknowledged.</summary>
    public string Pragmas { get; } = $"PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()}; PRAGMA busy_timeout=30000;";

    /// <summary>SQLite allows one writer at a time; metric writes queue here instead of spinning on SQLITE_BUSY.</summary>
    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    public string Describe() => $"SQLite {new SqliteConnectionStringBuilder(connectionString).DataSource} (synchronous={synchronous})";

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = Pragmas;
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
