using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Storage.Configurations;

internal sealed class RunConfiguration : IEntityTypeConfiguration<RunEntity>
{
    public void Configure(EntityTypeBuilder<RunEntity> builder)
    {
        builder.ToTable("runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(64);
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Group).HasColumnName("group_name").HasMaxLength(200);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(r => r.Project).WithMany(p => p.Runs).HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Tags).WithOne().HasForeignKey(t => t.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Series).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.ProjectId, r.CreatedMs });
        builder.HasIndex(r => new { r.State, r.HeartbeatMs });
        builder.Property(r => r.PatternLabel).HasMaxLength(32);
        builder.HasIndex(r => new { r.ProjectId, r.PatternLabel });
        builder.Property(r => r.MlflowUserId).HasMaxLength(250);
    }
}
