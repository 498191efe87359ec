using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Storage.Configurations;

internal sealed class MetricSeriesConfiguration : IEntityTypeConfiguration<MetricSeriesEntity>
{
    public void Configure(EntityTypeBuilder<MetricSeriesEntity> builder)
    {
        builder.ToTable("metric_series");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Key).HasMaxLength(250);
        builder.HasIndex(s => new { s.RunId, s.Key }).IsUnique();
        builder.HasIndex(s => new { s.Key, s.LastValue });
    }
}
