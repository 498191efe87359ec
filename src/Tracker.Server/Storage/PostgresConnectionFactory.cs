using System.Data.Common;
using Npgsql;
using Tracker.Server.Hosting;

namespace Tracker.Server.Storage;

internal sealed class PostgresConnectionFactory(NpgsqlDataSource dataSource) : ITrackerConnectionFactory
{
    public DatabaseProvider Provider => DatabaseProvider.Postgres;

    public string Describe()
    {
        var b = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
    }

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
}
