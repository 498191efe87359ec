using System.Text.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>A spool file as read back: the header, the batches in write order and the final state if the run ended.</summary>
internal sealed class SpoolContent
{
    private SpoolContent(string path, SpoolHeader header)
    {
        Path = path;
        Header = header;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What creates or resumes the run.</summary>
    public SpoolHeader Header { get; }

    /// <summary>Ingest bodies in the order they were written.</summary>
    public List<SpooledBatch> Batches { get; } = [];

    /// <summary>The final state, when the run ended.</summary>
    public RunState? Finish { get; private set; }

    /// <summary>Lines that could not be read (a torn tail after a crash).</summary>
    public int SkippedLines { get; private set; }

    /// <summary>Points in all batches.</summary>
    public long PointCount => Batches.Sum(b => (long)b.Points);

    /// <summary>Reads a spool file; throws <see cref="InvalidDataException"/> when its header is unreadable.</summary>
    public static SpoolContent Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        var end = span.IndexOf((byte)'\n');
        if (end < 0)
            throw new InvalidDataException($"{path}: no header line.");
        SpoolHeader header;
        try
        {
            header = JsonSerializer.Deserialize(span[..end], SdkJsonContext.Default.SpoolHeader) ?? throw new InvalidDataException($"{path}: empty header.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable header ({e.Message}).", e);
        }
        var content = new SpoolContent(path, header);
        var start = end + 1;
        while (start < bytes.Length)
        {
            var length = span[start..].IndexOf((byte)'\n');
            if (length < 0)
                length = bytes.Length - start;
            if (length > 0)
                content.ReadRecord(new ReadOnlyMemory<byte>(bytes, start, length));
            start += length + 1;
        }
        return content;
    }

    private void ReadRecord(ReadOnlyMemory<byte> line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.TryGetProperty("seq", out var seq) && root.TryGetProperty("points", out var points))
            {
                Batches.Add(new SpooledBatch(seq.GetInt64(), points.GetArrayLength(), line));
            }
            else if (root.TryGetProperty("finish", out _))
            {
                Finish = root.Deserialize(SdkJsonContext.Default.SpoolFinish)?.Finish;
            }
            else
            {
                SkippedLines++;
            }
        }
        catch (JsonException)
        {
            SkippedLines++;
        }
    }
}

/// <summary>One spooled ingest body.</summary>
/// <param name="Seq">Its sequence number.</param>
/// <param name="Points">How many points it holds.</param>
/// <param name="Body">The bytes to POST.</param>
internal readonly record struct SpooledBatch(long Seq, int Points, ReadOnlyMemory<byte> Body);
