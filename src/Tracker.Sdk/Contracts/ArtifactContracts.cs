namespace Tracker.Sdk.Contracts;

/// <summary>A stored file of a run (a checkpoint, an exported model, a plot, a log).</summary>
/// <param name="Path">Relative path within the run, <c>/</c>-separated.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">SHA-256 of the bytes, lowercase hex.</param>
/// <param name="ContentType">Media type given at upload (or guessed from the extension).</param>
/// <param name="Step">The step the file belongs to, when given.</param>
/// <param name="Kind">What the file is, e.g. <c>checkpoint</c>; null for a plain file.</param>
/// <param name="MetricValue">The early-stopping monitor's value at <paramref name="Step"/> (checkpoints; null until that value is logged).</param>
/// <param name="CreatedAt">When the upload completed.</param>
/// <param name="Monitor">The monitored metric's name (checkpoints only).</param>
public sealed record ArtifactDto(
    string Path,
    long Size,
    string Sha256,
    string ContentType,
    long? Step,
    string? Kind,
    double? MetricValue,
    DateTimeOffset CreatedAt,
    string? Monitor = null
);

/// <summary>Response of <c>GET /api/v1/runs/{id}/artifacts</c>.</summary>
/// <param name="Artifacts">The run's artifacts, by path.</param>
public sealed record ArtifactList(IReadOnlyList<ArtifactDto> Artifacts);

/// <summary>The run config entry <c>tracker.checkpoints</c>: which checkpoints the server keeps.</summary>
/// <param name="KeepBest">The best k checkpoints by the early-stopping monitor and mode (null: all).</param>
/// <param name="KeepLast">The last n checkpoints by step (null: all).</param>
public sealed record CheckpointPolicyDto(int? KeepBest, int? KeepLast)
{
    /// <summary>The config entry's name.</summary>
    public const string EntryName = "tracker.checkpoints";
}
