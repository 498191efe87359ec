using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Storage.Configurations;

internal sealed class RunTagConfiguration : IEntityTypeConfiguration<RunTagEntity>
{
    public void Configure(EntityTypeBuilder<RunTagEntity> builder)
    {
        builder.ToTable("run_tags");
        builder.HasKey(t => new { t.RunId, t.Tag });
        builder.Property(t => t.Tag).HasMaxLength(100);
        builder.HasIndex(t => t.Tag);
    }
}
