namespace Tracker.Server.Hosting;

/// <summary>SQLite's <c>synchronous</c> levels (see sqlite.org/pragma.html#pragma_synchronous).</summary>
public enum SqliteSynchronous
{
    /// <summary>No fsync: fastest, and a machine crash may corrupt the database.</summary>
    Off,

    /// <summary>fsync at checkpoints only (WAL): durable across process crashes, not power loss.</summary>
    Normal,

    /// <summary>fsync of the WAL on every commit: an acknowledged batch is durable.</summary>
    Full,

    /// <summary>Like Full, and also syncs the directory after a journal change.</summary>
    Extra,
}
