using System.Buffers;
using System.Buffers.Binary;

namespace Tracker.Server.Ingest;

/// <summary>Writes points <c>(series_id, step, value, time_ms)</c> in PostgreSQL's binary COPY format straight to a
/// raw COPY stream: about 50 bytes per point, with no per-value parameter binding.</summary>
internal sealed class PointCopyEncoder : IDisposable
{
    private const int RowBytes = 2 + 4 * (4 + 8);
    private const int ChunkBytes = 64 * 1024;

    private readonly Stream _copy;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    private int _used;

    /// <summary>Starts the COPY data with its header: the PGCOPY signature, then a flags word and a header-extension length, both zero.</summary>
    public PointCopyEncoder(Stream copy)
    {
        _copy = copy;
        ReadOnlySpan<byte> header =
        [
            (byte)'P',
            (byte)'G',
            (byte)'C',
            (byte)'O',
            (byte)'P',
            (byte)'Y',
            (byte)'\n',
            0xFF,
            (byte)'\r',
            (byte)'\n',
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
        ];
        header.CopyTo(_buffer);
        _used = header.Length;
    }

    /// <summary>Writes every point of a batch, in batch order, and completes the data (<see cref="CompleteAsync"/>).</summary>
    public static async Task WriteAsync(Stream copy, MetricBatch batch, long[] seriesIds, CancellationToken cancellationToken)
    {
        using var encoder = new PointCopyEncoder(copy);
        for (var i = 0; i < batch.Count; i++)
        {
            await encoder.AddAsync(seriesIds[batch.KeyIds[i]], batch.Steps[i], batch.Values[i], batch.Times[i], cancellationToken).ConfigureAwait(false);
        }
        await encoder.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds one row; sends the buffer to the stream when it is full.</summary>
    public ValueTask AddAsync(long seriesId, long step, double value, long timeMs, CancellationToken cancellationToken)
    {
        if (_used + RowBytes + 2 > ChunkBytes)
        {
            return FlushThenAddAsync(seriesId, step, value, timeMs, cancellationToken);
        }
        Encode(seriesId, step, value, timeMs);
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes the trailer and sends what is left; the caller then disposes the COPY stream to finish the COPY.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_used), -1);
        await _copy.WriteAsync(_buffer.AsMemory(0, _used + 2), cancellationToken).ConfigureAwait(false);
        _used = 0;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    private async ValueTask FlushThenAddAsync(long seriesId, long step, double value, long timeMs, CancellationToken cancellationToken)
    {
        await _copy.WriteAsync(_buffer.AsMemory(0, _used), cancellationToken).ConfigureAwait(false);
        _used = 0;
        Encode(seriesId, step, value, timeMs);
    }

    private void Encode(long seriesId, long step, double value, long timeMs)
    {
        var row = _buffer.AsSpan(_used, RowBytes);
        BinaryPrimitives.WriteInt16BigEndian(row, 4);
        WriteField(row[2..], seriesId);
        WriteField(row[14..], step);
        BinaryPrimitives.WriteInt32BigEndian(row[26..], 8);
        BinaryPrimitives.WriteDoubleBigEndian(row[30..], value);
        WriteField(row[38..], timeMs);
        _used += RowBytes;
    }

    private static void WriteField(Span<byte> field, long value)
    {
        BinaryPrimitives.WriteInt32BigEndian(field, 8);
        BinaryPrimitives.WriteInt64BigEndian(field[4..], value);
    }
}
