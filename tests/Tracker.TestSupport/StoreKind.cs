namespace Tracker.TestSupport;

/// <summary>The database a test server runs on.</summary>
public enum StoreKind
{
    /// <summary>A fresh database in the throwaway PostgreSQL cluster.</summary>
    Postgres,

    /// <summary>A fresh SQLite file in a temp folder.</summary>
    Sqlite,
}
