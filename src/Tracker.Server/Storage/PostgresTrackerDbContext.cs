using Microsoft.EntityFrameworkCore;

namespace Tracker.Server.Storage;

/// <summary>The PostgreSQL flavour (production); its migrations are in Migrations/Postgres.</summary>
internal sealed class PostgresTrackerDbContext(DbContextOptions<PostgresTrackerDbContext> options) : TrackerDbContext(options);
