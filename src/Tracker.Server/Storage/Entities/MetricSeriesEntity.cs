namespace Tracker.Server.Storage.Entities;

/// <summary>A metric series of a run (the interned key) with its summary, kept up to date on ingest.</summary>
/// <remarks>Value columns are nullable because SQLite cannot store NaN: null in <see cref="LastValue"/> is NaN;
/// null in <see cref="MinValue"/>/<see cref="MaxValue"/> means no non-NaN value yet.</remarks>
internal sealed class MetricSeriesEntity
{
    public long Id { get; set; }
    public required string RunId { get; set; }
    public required string Key { get; set; }
    public long Count { get; set; }
    public long FirstStep { get; set; }
    public long LastStep { get; set; }
    public double? LastValue { get; set; }
    public long LastTimeMs { get; set; }
    public double? MinValue { get; set; }
    public long? MinStep { get; set; }
    public double? MaxValue { get; set; }
    public long? MaxStep { get; set; }
}
