namespace Tracker.Server.Storage.Entities;

/// <summary>One stored point; written by the ingest path with bulk SQL, never through EF change tracking.</summary>
internal sealed class MetricPointEntity
{
    public long SeriesId { get; set; }
    public long Step { get; set; }
    public double? Value { get; set; }
    public long TimeMs { get; set; }
}
