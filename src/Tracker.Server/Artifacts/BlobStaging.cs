using System.Buffers;
using System.Security.Cryptography;

namespace Tracker.Server.Artifacts;

/// <summary>Streams an upload to a private staging file under <c>{DataDir}/artifacts/.staging</c>, hashing it on the way,
/// with a fixed 1 MiB buffer: memory does not grow with the file. Leftovers of a crash are removed at start-up.</summary>
internal sealed class BlobStaging
{
    private const int BufferSize = 1 << 20;

    public BlobStaging(string stagingDir)
    {
        Directory = stagingDir;
        if (System.IO.Directory.Exists(stagingDir))
            System.IO.Directory.Delete(stagingDir, recursive: true);
        System.IO.Directory.CreateDirectory(stagingDir);
    }

    /// <summary>The staging folder (on the same file system as the local store, so a commit is a rename).</summary>
    public string Directory { get; }

    /// <summary>The staged body, or null when it is longer than <paramref name="maxBytes"/> (nothing is left behind then).
    /// A failed read (a dropped connection) deletes the staging file and rethrows.</summary>
    public async Task<StagedBlob?> StageAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Directory, Guid.NewGuid().ToString("N"));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var ok = false;
        try
        {
            long length = 0;
            await using (var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                int read;
                while ((read = await ReadChunkAsync(body, buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    length += read;
                    if (length > maxBytes)
                        return null;
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
            ok = true;
            return new StagedBlob(file, length, hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!ok)
                File.Delete(file);
        }
    }

    /// <summary>Fills the buffer as far as the body allows (fewer, larger writes); 0 at the end.</summary>
    private static async ValueTask<int> ReadChunkAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            filled += read;
        }
        return filled;
    }
}
