using System.Text;
using Microsoft.EntityFrameworkCore;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Storage;

/// <summary>The tracker's relational model; one subclass per provider carries that provider's migrations.</summary>
internal abstract class TrackerDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<ProjectEntity> Projects => Set<ProjectEntity>();
    public DbSet<RunEntity> Runs => Set<RunEntity>();
    public DbSet<RunTagEntity> RunTags => Set<RunTagEntity>();
    public DbSet<MetricSeriesEntity> Series => Set<MetricSeriesEntity>();
    public DbSet<MetricPointEntity> Points => Set<MetricPointEntity>();
    public DbSet<MetricRollupEntity> Rollups => Set<MetricRollupEntity>();
    public DbSet<RunBatchEntity> Batches => Set<RunBatchEntity>();
    public DbSet<RunEventEntity> Events => Set<RunEventEntity>();
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();
    public DbSet<ExperimentJobEntity> ExperimentJobs => Set<ExperimentJobEntity>();
    public DbSet<ArtifactEntity> Artifacts => Set<ArtifactEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TrackerDbContext).Assembly);
        // snake_case columns so that the hand-written SQL of the hot paths reads naturally.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name)
                {
                    property.SetColumnName(ToSnakeCase(property.Name));
                }
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
