namespace Tracker.Server.Storage.Entities;

/// <summary>A tag of a run.</summary>
internal sealed class RunTagEntity
{
    public required string RunId { get; set; }
    public required string Tag { get; set; }
}
