using System.Buffers;
using System.Text.Json;

namespace Tracker.Sdk.Internal;

/// <summary>Writes an ingest body <c>{"seq":n,"points":[{key,step,value,time}]}</c> straight from queued points into a reused buffer.</summary>
/// <remarks>The same bytes are POSTed and, when they cannot be, appended to the spool, so a replay repeats the same <c>seq</c>.</remarks>
internal sealed class BatchJson
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _writer;

    public BatchJson() => _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });

    /// <summary>Serializes one batch; the result is valid until the next call.</summary>
    public ReadOnlyMemory<byte> Write(long seq, ReadOnlySpan<LoggedPoint> points)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteNumber("seq"u8, seq);
        _writer.WriteStartArray("points"u8);
        foreach (ref readonly var p in points)
        {
            _writer.WriteStartObject();
            _writer.WriteString("key"u8, p.Key);
            _writer.WriteNumber("step"u8, p.Step);
            if (double.IsFinite(p.Value)) _writer.WriteNumber("value"u8, p.Value);
            else _writer.WriteString("value"u8, double.IsNaN(p.Value) ? "NaN"u8 : p.Value > 0 ? "Infinity"u8 : "-Infinity"u8);
            _writer.WriteNumber("time"u8, p.Time);
            _writer.WriteEndObject();
        }
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }
}
