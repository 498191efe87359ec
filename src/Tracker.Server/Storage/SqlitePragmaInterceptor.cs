using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Tracker.Server.Storage;

/// <summary>Applies <see cref="SqliteConnectionFactory.Pragmas"/> to EF Core's connections too, so that run, tag and key
/// writes are as durable as metric batches.</summary>
internal sealed class SqlitePragmaInterceptor(string pragmas) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = pragmas;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = pragmas;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
