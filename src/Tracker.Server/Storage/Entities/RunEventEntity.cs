namespace Tracker.Server.Storage.Entities;

/// <summary>A state change (later also an analysis verdict) of a run.</summary>
internal sealed class RunEventEntity
{
    public long Id { get; set; }
    public required string RunId { get; set; }
    public long TimeMs { get; set; }
    public required string Kind { get; set; }
    public string? FromValue { get; set; }
    public string? ToValue { get; set; }
    public string? Message { get; set; }
}
