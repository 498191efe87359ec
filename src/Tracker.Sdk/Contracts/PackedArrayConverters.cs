using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tracker.Sdk.Contracts;

/// <summary>Writes an array of numbers as one base64 string of their little-endian bytes (live hub messages: a browser
/// decodes base64 far faster than a JSON number per point); reads that or a plain JSON array.</summary>
/// <typeparam name="T">The element type.</typeparam>
public abstract class PackedArrayConverter<T> : JsonConverter<T[]>
    where T : unmanaged
{
    /// <summary>Reads one element of a plain JSON array.</summary>
    protected abstract T ReadElement(ref Utf8JsonReader reader);

    /// <inheritdoc />
    public override T[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var list = new List<T>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                list.Add(ReadElement(ref reader));
            return [.. list];
        }
        var bytes = reader.GetBytesFromBase64();
        ToLittleEndian(bytes);
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(value.AsSpan());
        if (!BitConverter.IsLittleEndian)
        {
            var copy = bytes.ToArray();
            ToLittleEndian(copy);
            bytes = copy;
        }
        writer.WriteBase64StringValue(bytes);
    }

    /// <summary>Swaps each element's bytes on a big-endian machine (the wire is little-endian; a no-op elsewhere).</summary>
    private static void ToLittleEndian(Span<byte> bytes)
    {
        if (BitConverter.IsLittleEndian)
            return;
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (var i = 0; i + size <= bytes.Length; i += size)
            bytes.Slice(i, size).Reverse();
    }
}

/// <summary>A <c>long[]</c> as base64 of its little-endian bytes (see <see cref="PackedArrayConverter{T}"/>).</summary>
public sealed class PackedInt64ArrayConverter : PackedArrayConverter<long>
{
    /// <inheritdoc />
    protected override long ReadElement(ref Utf8JsonReader reader) => reader.GetInt64();
}

/// <summary>A <c>double[]</c> as base64 of its little-endian IEEE 754 bytes, NaN and infinities included (see
/// <see cref="PackedArrayConverter{T}"/>); a plain array may spell those as strings.</summary>
public sealed class PackedDoubleArrayConverter : PackedArrayConverter<double>
{
    /// <inheritdoc />
    protected override double ReadElement(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? double.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : reader.GetDouble();
}
