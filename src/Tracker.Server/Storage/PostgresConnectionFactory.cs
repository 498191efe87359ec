using System.Data.Common;
using Npgsql;
using Tracker.Server.Hosting;

namespace Tracker.Server.Storage;

internal sealed class PostgresConnectionFactory(NpgsqlDataSource dataSource) : ITrackerConnectionFactory
{
    public DatabaseProvider Provider => DatabaseProvider.Postgres;

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
}
