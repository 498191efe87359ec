using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Storage.Configurations;

internal sealed class ArtifactConfiguration : IEntityTypeConfiguration<ArtifactEntity>
{
    public void Configure(EntityTypeBuilder<ArtifactEntity> builder)
    {
        builder.ToTable("artifacts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.RunId).HasMaxLength(64);
        builder.Property(a => a.Path).HasMaxLength(1024);
        builder.Property(a => a.BlobKey).HasMaxLength(200);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.Property(a => a.ContentType).HasMaxLength(200);
        builder.Property(a => a.Kind).HasMaxLength(32);
        builder.HasIndex(a => new { a.RunId, a.Path }).IsUnique();
        builder.HasIndex(a => new
        {
            a.RunId,
            a.Kind,
            a.Step,
        });
        builder.HasOne<RunEntity>().WithMany().HasForeignKey(a => a.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
