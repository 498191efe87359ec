using Microsoft.EntityFrameworkCore;

namespace Tracker.Server.Storage;

/// <summary>The SQLite flavour (embedded default); its migrations are in Migrations/Sqlite.</summary>
internal sealed class SqliteTrackerDbContext(DbContextOptions<SqliteTrackerDbContext> options) : TrackerDbContext(options);
