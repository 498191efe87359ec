namespace Tracker.Server.Hosting;

/// <summary>The <c>Tracker:Sqlite</c> section.</summary>
public sealed class SqliteOptions
{
    /// <summary>SQLite's <c>PRAGMA synchronous</c> on every connection. <see cref="SqliteSynchronous.Full"/> (default):
    /// an acknowledged batch survives a power loss or OS crash. <see cref="SqliteSynchronous.Normal"/> is faster and
    /// survives a crash of the server process, but the last commits may be lost if the machine goes down.</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;
}
