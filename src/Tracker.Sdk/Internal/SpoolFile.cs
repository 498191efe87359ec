using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Tracker.Sdk.Internal;

/// <summary>The append-only spool of one run: <c>{runId}.spool</c>, one JSON line per record, fsynced after each append.</summary>
/// <remarks>
/// Line 1 is the <see cref="SpoolHeader"/>; then ingest bodies exactly as POSTed (<c>{"seq":..,"points":[..]}</c>);
/// a run that ended writes a <see cref="SpoolFinish"/> last. A torn last line (a crash mid-append) is ignored on read.
/// While a process writes the spool it holds <c>{runId}.lock</c> exclusively, so <c>tracker sync</c> leaves it alone.
/// </remarks>
internal sealed class SpoolFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly FileStream _lock;
    private readonly SafeFileHandle _read;
    private readonly Lock _gate = new();

    private SpoolFile(string path, FileStream stream, FileStream lockFile)
    {
        Path = path;
        _stream = stream;
        _lock = lockFile;
        _read = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>The spool file's path.</summary>
    public string Path { get; }

    /// <summary>Bytes written so far.</summary>
    public long Length => _stream.Length;

    /// <summary>The spool path of <paramref name="runId"/> in <paramref name="dir"/>.</summary>
    public static string PathFor(string dir, string runId) => System.IO.Path.Combine(dir, runId + ".spool");

    /// <summary>The lock path that goes with a spool path.</summary>
    public static string LockPathFor(string spoolPath) => System.IO.Path.ChangeExtension(spoolPath, ".lock");

    /// <summary>Opens (or creates, writing <paramref name="header"/>) the spool of a run and takes its lock.</summary>
    public static SpoolFile Open(string dir, SpoolHeader header)
    {
        Directory.CreateDirectory(dir);
        var path = PathFor(dir, header.RunId);
        var lockFile = new FileStream(LockPathFor(path), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        try
        {
            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete, 1, FileOptions.None);
            var spool = new SpoolFile(path, stream, lockFile);
            if (stream.Length == 0)
                spool.Append(JsonSerializer.SerializeToUtf8Bytes(header, SdkJsonContext.Default.SpoolHeader));
            else
                spool.RepairTornTail();
            return spool;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Appends one record line and fsyncs; returns the record's offset.</summary>
    public long Append(ReadOnlySpan<byte> record)
    {
        lock (_gate)
        {
            var offset = _stream.Position;
            _stream.Write(record);
            _stream.WriteByte((byte)'\n');
            _stream.Flush(flushToDisk: true);
            return offset;
        }
    }

    /// <summary>Appends the trailer that records the run's final state.</summary>
    public void AppendFinish(Tracker.Sdk.Contracts.RunState state) =>
        Append(JsonSerializer.SerializeToUtf8Bytes(new SpoolFinish(state), SdkJsonContext.Default.SpoolFinish));

    /// <summary>Reads back a record written by <see cref="Append"/>.</summary>
    public byte[] Read(long offset, int length)
    {
        var bytes = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(_read, bytes.AsSpan(read), offset + read);
            if (n == 0)
                throw new IOException($"Spool {Path} ends before offset {offset + length}.");
            read += n;
        }
        return bytes;
    }

    /// <summary>Closes the spool and releases its lock; deletes both files when <paramref name="delete"/>.</summary>
    public void Close(bool delete)
    {
        Dispose();
        if (!delete)
            return;
        File.Delete(Path);
        File.Delete(LockPathFor(Path));
    }

    /// <summary>Ends a line that a crash left unterminated, so the next record starts on its own line.</summary>
    private void RepairTornTail()
    {
        Span<byte> last = stackalloc byte[1];
        if (RandomAccess.Read(_read, last, _stream.Length - 1) == 1 && last[0] != (byte)'\n')
        {
            _stream.WriteByte((byte)'\n');
            _stream.Flush(flushToDisk: true);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Dispose();
        _read.Dispose();
        _lock.Dispose();
    }
}
