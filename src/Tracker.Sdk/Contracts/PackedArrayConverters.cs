using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tracker.Sdk.Contracts;

/// <summary>Writes a <c>long[]</c> as one base64 string of its little-endian bytes (live hub messages: a browser decodes
/// base64 far faster than a JSON number per point); reads that or a plain JSON array.</summary>
public sealed class PackedInt64ArrayConverter : JsonConverter<long[]>
{
    /// <inheritdoc />
    public override long[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray) return PackedArrays.ReadArray(ref reader, static (ref Utf8JsonReader r) => r.GetInt64());
        var bytes = reader.GetBytesFromBase64();
        if (BitConverter.IsLittleEndian) return MemoryMarshal.Cast<byte, long>(bytes).ToArray();
        var values = new long[bytes.Length / sizeof(long)];
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8 * i));
        return values;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, long[] value, JsonSerializerOptions options)
    {
        if (BitConverter.IsLittleEndian)
        {
            writer.WriteBase64StringValue(MemoryMarshal.AsBytes(value.AsSpan()));
            return;
        }
        var bytes = new byte[value.Length * sizeof(long)];
        for (var i = 0; i < value.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), value[i]);
        writer.WriteBase64StringValue(bytes);
    }
}

/// <summary>Writes a <c>double[]</c> as one base64 string of its little-endian IEEE 754 bytes (NaN and infinities
/// included); reads that or a plain JSON array.</summary>
public sealed class PackedDoubleArrayConverter : JsonConverter<double[]>
{
    /// <inheritdoc />
    public override double[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            return PackedArrays.ReadArray(ref reader, static (ref Utf8JsonReader r) => r.TokenType == JsonTokenType.String
                ? double.Parse(r.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                : r.GetDouble());
        }
        var bytes = reader.GetBytesFromBase64();
        if (BitConverter.IsLittleEndian) return MemoryMarshal.Cast<byte, double>(bytes).ToArray();
        var values = new double[bytes.Length / sizeof(double)];
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 * i));
        return values;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, double[] value, JsonSerializerOptions options)
    {
        if (BitConverter.IsLittleEndian)
        {
            writer.WriteBase64StringValue(MemoryMarshal.AsBytes(value.AsSpan()));
            return;
        }
        var bytes = new byte[value.Length * sizeof(double)];
        for (var i = 0; i < value.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), value[i]);
        writer.WriteBase64StringValue(bytes);
    }
}

internal static class PackedArrays
{
    public delegate T Element<T>(ref Utf8JsonReader reader);

    public static T[] ReadArray<T>(ref Utf8JsonReader reader, Element<T> element)
    {
        var list = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(element(ref reader));
        return [.. list];
    }
}
