namespace Tracker.Server.Storage.Entities;

/// <summary>An ingested batch's (run, seq): makes retried batches idempotent.</summary>
internal sealed class RunBatchEntity
{
    public required string RunId { get; set; }
    public long Seq { get; set; }
    public int PointCount { get; set; }
    public long ReceivedMs { get; set; }
}
