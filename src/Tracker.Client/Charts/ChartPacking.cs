using System.Runtime.InteropServices;

namespace Tracker.Client.Charts;

/// <summary>Packs chart coordinates for <c>charts.js</c>: one byte array of float64 values, per trace
/// <c>[n, x1..xn, y1..yn]</c>. Blazor passes a <c>byte[]</c> to JavaScript as one <c>Uint8Array</c>, without a JSON
/// value per point.</summary>
public static class ChartPacking
{
    /// <summary>The traces' points, packed in order.</summary>
    public static byte[] Pack(IReadOnlyList<double[]> xs, IReadOnlyList<double[]> ys)
    {
        var length = 0;
        for (var t = 0; t < xs.Count; t++)
            length += 1 + 2 * xs[t].Length;
        var values = new double[length];
        var at = 0;
        for (var t = 0; t < xs.Count; t++)
        {
            var n = xs[t].Length;
            values[at++] = n;
            xs[t].CopyTo(values, at);
            at += n;
            ys[t].AsSpan(0, n).CopyTo(values.AsSpan(at));
            at += n;
        }
        return MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
    }

    /// <summary>Reads back what <see cref="Pack"/> wrote (tests).</summary>
    public static List<(double[] X, double[] Y)> Unpack(byte[] packed)
    {
        var values = MemoryMarshal.Cast<byte, double>(packed.AsSpan());
        var traces = new List<(double[], double[])>();
        var i = 0;
        while (i < values.Length)
        {
            var n = (int)values[i++];
            traces.Add((values.Slice(i, n).ToArray(), values.Slice(i + n, n).ToArray()));
            i += 2 * n;
        }
        return traces;
    }
}
