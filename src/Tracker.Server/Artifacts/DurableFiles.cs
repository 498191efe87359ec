using System.Runtime.InteropServices;

namespace Tracker.Server.Artifacts;

/// <summary>fsync of a file's data and of a folder's entries, so that a committed blob survives a power loss: the bytes
/// reach the disk before the rename makes them visible, and the rename itself reaches the disk before the commit returns.</summary>
internal static partial class DurableFiles
{
    private const int ReadOnly = 0;

    /// <summary>Writes the file's data and metadata to the disk.</summary>
    public static void FlushFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Writes the folder's entries (a rename into it) to the disk; nothing to do on Windows, where the rename is
    /// journaled with the file.</summary>
    public static void FlushFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"open({path}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync({path}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
