namespace Tracker.Server.Storage.Entities;

/// <summary>A stored file of a run: its metadata here, its bytes in the blob store under <see cref="BlobKey"/>.</summary>
internal sealed class ArtifactEntity
{
    public long Id { get; set; }
    public required string RunId { get; set; }
    public required string Path { get; set; }

    /// <summary>Where the bytes are (<c>{run}/{upload id}</c>): a new key per upload, so a replaced file never changes under a reader.</summary>
    public required string BlobKey { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public required string ContentType { get; set; }
    public long? Step { get; set; }
    public string? Kind { get; set; }

    /// <summary>The early-stopping monitor's value at <see cref="Step"/> (checkpoints), filled when both are known.</summary>
    public double? MetricValue { get; set; }
    public long CreatedMs { get; set; }
}
