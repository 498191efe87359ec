namespace Tracker.Server.Storage.Entities;

/// <summary>A pre-aggregated bucket of a series: steps <c>[Bucket·w, (Bucket+1)·w)</c> with <c>w = 16^Level</c>.</summary>
internal sealed class MetricRollupEntity
{
    public long SeriesId { get; set; }
    public int Level { get; set; }
    public long Bucket { get; set; }
    public long Count { get; set; }
    public long LastStep { get; set; }
    public double? LastValue { get; set; }
    public long LastTimeMs { get; set; }
    public double? MinValue { get; set; }
    public double? MaxValue { get; set; }
}
