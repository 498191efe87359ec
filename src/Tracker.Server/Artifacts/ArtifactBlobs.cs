namespace Tracker.Server.Artifacts;

/// <summary>The configured blob store with its staging folder and limits: what the artifact routes and run deletion share.</summary>
internal sealed class ArtifactBlobs(IBlobStore store, BlobStaging staging, ArtifactOptions options)
{
    public IBlobStore Store { get; } = store;
    public BlobStaging Staging { get; } = staging;
    public ArtifactOptions Options { get; } = options;

    /// <summary>A fresh key for one upload of a run's file: <c>{run}/{upload id}</c>.</summary>
    public static string NewKey(string runId) => $"{runId}/{Guid.NewGuid():N}";

    /// <summary>Deletes every blob of a deleted run.</summary>
    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken) => Store.DeletePrefixAsync(runId + "/", cancellationToken);
}
