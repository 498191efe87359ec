namespace Tracker.Server.Artifacts;

/// <summary>Blobs as files under <c>{DataDir}/artifacts/blobs</c>; a commit is an atomic rename from the staging folder.</summary>
internal sealed class LocalBlobStore(string root) : IBlobStore
{
    public string Describe() => $"local files under {root}";

    public Task CommitAsync(string stagedFile, string key, long length, CancellationToken cancellationToken)
    {
        // The data is on the disk before the rename makes it visible, and the rename (and a new run folder's entry) before
        // the commit returns: a crash or power loss leaves either no blob or the whole blob, never a torn one.
        var target = PathOf(key);
        var folder = Path.GetDirectoryName(target)!;
        var newFolder = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        DurableFiles.FlushFile(stagedFile);
        File.Move(stagedFile, target, overwrite: true);
        DurableFiles.FlushFolder(folder);
        if (newFolder)
        {
            DurableFiles.FlushFolder(Path.GetDirectoryName(folder)!);
        }
        return Task.CompletedTask;
    }

    public Task<Stream?> OpenReadAsync(string key, long length, CancellationToken cancellationToken)
    {
        try
        {
            Stream stream = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, useAsync: false);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        // Keys are "{run}/{upload}": a run's prefix is a folder.
        var folder = PathOf(prefix.TrimEnd('/'));
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    private string PathOf(string key) => Path.Combine(root, key);
}
