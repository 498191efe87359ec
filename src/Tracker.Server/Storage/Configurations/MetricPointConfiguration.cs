using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Storage.Configurations;

/// <remarks>Keyless and without a foreign key: the hot path bulk-copies rows and a per-row FK check
/// would cost more than the rest of the write. Deleting a run deletes its points explicitly.</remarks>
internal sealed class MetricPointConfiguration : IEntityTypeConfiguration<MetricPointEntity>
{
    public void Configure(EntityTypeBuilder<MetricPointEntity> builder)
    {
        builder.ToTable("metric_points");
        builder.HasNoKey();
        builder.HasIndex(p => new { p.SeriesId, p.Step });
    }
}
