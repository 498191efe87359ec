namespace Tracker.Server.Artifacts;

/// <summary>Where artifact bytes live. Uploads are staged to a local file first (<see cref="BlobStaging"/>), hashed and
/// checked, then committed whole under a new key: a key is visible completely or not at all.</summary>
internal interface IBlobStore
{
    /// <summary>A name for logs and the start-up banner.</summary>
    string Describe();

    /// <summary>Moves the staged file at <paramref name="stagedFile"/> to <paramref name="key"/> (the staged file is gone afterwards).</summary>
    Task CommitAsync(string stagedFile, string key, long length, CancellationToken cancellationToken);

    /// <summary>A readable, seekable stream over the blob (<paramref name="length"/> bytes), or null when it is missing.</summary>
    Task<Stream?> OpenReadAsync(string key, long length, CancellationToken cancellationToken);

    /// <summary>Deletes one blob; a missing one is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes every blob whose key starts with <paramref name="prefix"/>.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken);
}
