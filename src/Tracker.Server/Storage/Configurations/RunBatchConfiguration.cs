using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Storage.Configurations;

internal sealed class RunBatchConfiguration : IEntityTypeConfiguration<RunBatchEntity>
{
    public void Configure(EntityTypeBuilder<RunBatchEntity> builder)
    {
        builder.ToTable("run_batches");
        builder.HasKey(b => new { b.RunId, b.Seq });
        builder.HasOne<RunEntity>().WithMany().HasForeignKey(b => b.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
