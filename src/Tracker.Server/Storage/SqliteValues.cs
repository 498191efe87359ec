namespace Tracker.Server.Storage;

/// <summary>SQLite has no NaN (it would store NULL anyway): NaN is written as NULL explicitly and read back as NaN.</summary>
internal static class SqliteValues
{
    public static object ToDb(double value) => double.IsNaN(value) ? DBNull.Value : value;
}
