using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tracker.Server.Ingest;
using Tracker.Server.Storage;

namespace Tracker.Server.Hosting;

/// <summary>Wires the configured provider: EF Core context, raw connections for the hot paths, the metric writer.</summary>
internal static class StorageRegistration
{
    public static void AddTrackerStorage(this IHostApplicationBuilder builder, TrackerOptions options)
    {
        var services = builder.Services;
        var connectionString = builder.Configuration.GetConnectionString("Tracker");
        if (options.Database.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    "Tracker:Database:Provider is Postgres but ConnectionStrings:Tracker is not set (e.g. ConnectionStrings__Tracker='Host=localhost;Database=tracker;Username=tracker;Password=...')."
                );
            }
            // Built by the container, so that the host's shutdown disposes it and closes its pooled connections (an
            // instance handed to AddSingleton is never disposed: every stopped host would keep its idle connections).
            services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
            services.AddDbContext<TrackerDbContext, PostgresTrackerDbContext>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<ITrackerConnectionFactory, PostgresConnectionFactory>();
            services.AddSingleton<IMetricWriter, PostgresMetricWriter>();
        }
        else
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                // A relative data directory is relative to the server's content root (src/Tracker.Server with `dotnet run`).
                var dir = Path.GetFullPath(options.DataDir, builder.Environment.ContentRootPath);
                Directory.CreateDirectory(dir);
                connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, "tracker.db"), Pooling = true }.ToString();
            }
            var factory = new SqliteConnectionFactory(connectionString, options.Sqlite.Synchronous);
            var pragmas = new SqlitePragmaInterceptor(factory.Pragmas);
            services.AddSingleton(factory);
            services.AddSingleton<ITrackerConnectionFactory>(factory);
            services.AddDbContext<TrackerDbContext, SqliteTrackerDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(pragmas));
            services.AddSingleton<IMetricWriter, SqliteMetricWriter>();
        }
    }

    /// <summary>Creates or migrates the database; on SQLite also switches the file to WAL (persistent).</summary>
    public static async Task MigrateTrackerDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
