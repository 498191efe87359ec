using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Storage.Configurations;

internal sealed class RunEventConfiguration : IEntityTypeConfiguration<RunEventEntity>
{
    public void Configure(EntityTypeBuilder<RunEventEntity> builder)
    {
        builder.ToTable("run_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Kind).HasMaxLength(32);
        builder.HasIndex(e => new { e.RunId, e.Id });
        builder.HasOne<RunEntity>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
