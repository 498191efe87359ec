using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Storage.Configurations;

internal sealed class MetricRollupConfiguration : IEntityTypeConfiguration<MetricRollupEntity>
{
    public void Configure(EntityTypeBuilder<MetricRollupEntity> builder)
    {
        builder.ToTable("metric_rollups");
        builder.HasKey(r => new
        {
            r.SeriesId,
            r.Level,
            r.Bucket,
        });
    }
}
