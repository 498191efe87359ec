using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Storage.Configurations;

/// <remarks>Keyless and without a foreign key: the hot path bulk-copies rows and a per-row FK check
/// would cost more than the rest of the write. Deleting a run deletes its points explicitly.
/// The index covers every column in the order histories are read (step, then time and value as the tie-break),
/// so history pages and raw chart ranges are index-only scans that stop after the rows they return.</remarks>
internal sealed class MetricPointConfiguration : IEntityTypeConfiguration<MetricPointEntity>
{
    public void Configure(EntityTypeBuilder<MetricPointEntity> builder)
    {
        builder.ToTable("metric_points");
        builder.HasNoKey();
        builder.HasIndex(p => new
        {
            p.SeriesId,
            p.Step,
            p.TimeMs,
            p.Value,
        });
    }
}
