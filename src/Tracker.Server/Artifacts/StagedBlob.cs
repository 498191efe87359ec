namespace Tracker.Server.Artifacts;

/// <summary>An upload written to a staging file: its length and SHA-256; <see cref="Dispose"/> deletes the file unless it was committed.</summary>
internal sealed class StagedBlob(string file, long length, byte[] sha256) : IDisposable
{
    public string File { get; } = file;
    public long Length { get; } = length;
    public byte[] Sha256 { get; } = sha256;
    public string Sha256Hex => Convert.ToHexStringLower(Sha256);

    public void Dispose()
    {
        // After a commit the file has moved away; deleting a missing file is a no-op.
        try
        {
            System.IO.File.Delete(File);
        }
        catch (IOException) { }
    }
}
