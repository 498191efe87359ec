using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Tracker.Server.Errors;

/// <summary>Recognises a database that is down, restarting, overloaded or busy: an outage the client should retry,
/// not a fault of the request or of the server's code.</summary>
internal static class TransientDatabaseError
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>True when <paramref name="exception"/> or one of its inner exceptions is a transient database failure.</summary>
    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // 57P01–57P03: the server is shutting down or starting; class 08: the connection failed; 53: out of resources.
                case PostgresException pg:
                    return pg.IsTransient || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case SqliteException sqlite:
                    return sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked;
                case SocketException:
                    return true;
            }
        }
        return false;
    }
}
