using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Tracker.Sdk.Contracts;

/// <summary>A series' history as three columns, the body of <c>GET /api/v1/runs/{id}/metrics/{key}?maxPoints=N&amp;format=packed</c>
/// (<c>application/octet-stream</c>): little-endian int64 <c>count</c>, int64 <c>sampled</c> (0 or 1), int64 <c>n</c>, then
/// <c>n</c> int64 steps, <c>n</c> float64 values and <c>n</c> int64 times (Unix ms). A browser reads it without parsing a
/// number per point.</summary>
/// <param name="Count">Number of stored points in the requested range.</param>
/// <param name="Sampled">True when the points are buckets (each bucket's last step, value and time).</param>
/// <param name="Steps">Steps in order.</param>
/// <param name="Values">Values (NaN and infinities as stored).</param>
/// <param name="Times">Wall times in Unix ms.</param>
public sealed record MetricColumns(long Count, bool Sampled, long[] Steps, double[] Values, long[] Times)
{
    /// <summary>The media type of the packed body.</summary>
    public const string MediaType = "application/octet-stream";

    private const int HeaderBytes = 3 * sizeof(long);

    /// <summary>The columns of a history's points.</summary>
    public static MetricColumns From(long count, bool sampled, IReadOnlyList<MetricPointDto> points) =>
        new(count, sampled, [.. points.Select(p => p.Step)], [.. points.Select(p => p.Value)], [.. points.Select(p => p.Time)]);

    /// <summary>Packs the points of a history.</summary>
    public static byte[] Pack(long count, bool sampled, IReadOnlyList<MetricPointDto> points)
    {
        var n = points.Count;
        var bytes = new byte[HeaderBytes + 3 * sizeof(long) * n];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt64LittleEndian(span, count);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], sampled ? 1 : 0);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], n);
        var steps = span.Slice(HeaderBytes, 8 * n);
        var values = span.Slice(HeaderBytes + 8 * n, 8 * n);
        var times = span.Slice(HeaderBytes + 16 * n, 8 * n);
        for (var i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(steps[(8 * i)..], points[i].Step);
            BinaryPrimitives.WriteDoubleLittleEndian(values[(8 * i)..], points[i].Value);
            BinaryPrimitives.WriteInt64LittleEndian(times[(8 * i)..], points[i].Time);
        }
        return bytes;
    }

    /// <summary>Reads a packed body; throws <see cref="FormatException"/> when its length does not match its header.</summary>
    public static MetricColumns Unpack(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes)
            throw new FormatException("A packed history is at least 24 bytes.");
        var count = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        var sampled = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]) != 0;
        var n = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
        if (n < 0 || bytes.Length != HeaderBytes + 24 * n)
            throw new FormatException($"A packed history of {n} points is {HeaderBytes + 24 * n} bytes, not {bytes.Length}.");
        var size = (int)n;
        var steps = new long[size];
        var values = new double[size];
        var times = new long[size];
        var body = bytes[HeaderBytes..];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, long>(body[..(8 * size)]).CopyTo(steps);
            MemoryMarshal.Cast<byte, double>(body.Slice(8 * size, 8 * size)).CopyTo(values);
            MemoryMarshal.Cast<byte, long>(body.Slice(16 * size, 8 * size)).CopyTo(times);
        }
        else
        {
            for (var i = 0; i < size; i++)
            {
                steps[i] = BinaryPrimitives.ReadInt64LittleEndian(body[(8 * i)..]);
                values[i] = BinaryPrimitives.ReadDoubleLittleEndian(body[(8 * (size + i))..]);
                times[i] = BinaryPrimitives.ReadInt64LittleEndian(body[(8 * (2 * size + i))..]);
            }
        }
        return new MetricColumns(count, sampled, steps, values, times);
    }
}
