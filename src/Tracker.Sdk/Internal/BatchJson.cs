using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Tracker.Sdk.Internal;

/// <summary>Writes an ingest body <c>{"seq":n,"points":[{key,step,value,time}]}</c> straight from queued points into a reused buffer.</summary>
/// <remarks>
/// The same bytes are POSTed and, when they cannot be, appended to the spool, so a replay repeats the same <c>seq</c>.
/// Keys are encoded (UTF-8, escaped) once and cached by reference; numbers use <see cref="Utf8JsonWriter"/>'s shortest
/// round-trip form; NaN and ±Infinity are written as the strings the server accepts.
/// </remarks>
internal sealed class BatchJson
{
    private const int MaxCachedKeys = 4096;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _writer;
    private readonly Dictionary<string, JsonEncodedText> _keys = new(ReferenceEqualityComparer.Instance);

    public BatchJson() => _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });

    /// <summary>Serializes one batch; the result is valid until the next call.</summary>
    public ReadOnlyMemory<byte> Write(long seq, ReadOnlySpan<LoggedPoint> points)
    {
        Begin(seq);
        foreach (ref readonly var p in points)
            WritePoint(p);
        return End();
    }

    /// <summary>Serializes one batch read from the ring (two spans when it wraps); the result is valid until the next call.</summary>
    public ReadOnlyMemory<byte> Write(long seq, ReadOnlySpan<PointRing.Slot> first, ReadOnlySpan<PointRing.Slot> second)
    {
        Begin(seq);
        foreach (ref readonly var s in first)
            WritePoint(s.Point);
        foreach (ref readonly var s in second)
            WritePoint(s.Point);
        return End();
    }

    private void Begin(long seq)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteNumber("seq"u8, seq);
        _writer.WriteStartArray("points"u8);
    }

    private ReadOnlyMemory<byte> End()
    {
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }

    private void WritePoint(in LoggedPoint p)
    {
        _writer.WriteStartObject();
        _writer.WriteString("key"u8, Encoded(p.Key));
        _writer.WriteNumber("step"u8, p.Step);
        if (double.IsFinite(p.Value))
            _writer.WriteNumber("value"u8, p.Value);
        else
            _writer.WriteString(
                "value"u8,
                double.IsNaN(p.Value) ? "NaN"u8
                    : p.Value > 0 ? "Infinity"u8
                    : "-Infinity"u8
            );
        _writer.WriteNumber("time"u8, p.Time);
        _writer.WriteEndObject();
    }

    private JsonEncodedText Encoded(string key)
    {
        ref var encoded = ref CollectionsMarshal.GetValueRefOrAddDefault(_keys, key, out var exists);
        if (exists)
            return encoded;
        if (_keys.Count > MaxCachedKeys)
        {
            _keys.Clear();
            return _keys[key] = JsonEncodedText.Encode(key);
        }
        return encoded = JsonEncodedText.Encode(key);
    }
}
