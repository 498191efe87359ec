using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Storage.Configurations;

internal sealed class ExperimentJobConfiguration : IEntityTypeConfiguration<ExperimentJobEntity>
{
    public void Configure(EntityTypeBuilder<ExperimentJobEntity> builder)
    {
        builder.ToTable("experiment_jobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.State).HasMaxLength(16);
        builder.Property(j => j.LeaseOwner).HasMaxLength(64);
        builder.HasIndex(j => new { j.State, j.Id });
        builder.HasIndex(j => j.RunId).IsUnique();
        builder.HasOne<RunEntity>().WithMany().HasForeignKey(j => j.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
