using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Tracker.Server.Storage;

// Migrations were made with (from src/Tracker.Server):
//   dotnet ef migrations add <Name> --context SqliteTrackerDbContext --output-dir Storage/Migrations/Sqlite
//   dotnet ef migrations add <Name> --context PostgresTrackerDbContext --output-dir Storage/Migrations/Postgres
// Neither needs a live database.

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without the host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTrackerDbContext>
{
    public SqliteTrackerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTrackerDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context without the host.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresTrackerDbContext>
{
    public PostgresTrackerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresTrackerDbContext>().UseNpgsql("Host=localhost;Database=tracker").Options);
}
