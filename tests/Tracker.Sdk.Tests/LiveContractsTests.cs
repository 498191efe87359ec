using System.Text.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Tests;

public sealed class LiveContractsTests
{
    [Fact]
    public void Live_series_columns_travel_as_base64_and_come_back_exactly()
    {
        var series = new LiveSeries("loss", [0, 1, long.MaxValue], [0.5, double.NaN, double.NegativeInfinity], [1_700_000_000_000, 2, 3], Sampled: false);
        var json = JsonSerializer.Serialize(new LivePoints("r", [series]), LiveJsonContext.Default.LivePoints);
        Assert.DoesNotContain("\"steps\":[", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"values\":[", json, StringComparison.Ordinal);

        var back = JsonSerializer.Deserialize(json, LiveJsonContext.Default.LivePoints)!.Series[0];
        Assert.Equal(series.Steps, back.Steps);
        Assert.Equal(series.Values, back.Values);
        Assert.Equal(series.Times, back.Times);
    }

    [Fact]
    public void Live_series_columns_are_also_read_as_plain_arrays()
    {
        var back = JsonSerializer.Deserialize(
            """{"key":"k","steps":[1,2],"values":[0.5,"NaN"],"times":[3,4],"sampled":true}""",
            LiveJsonContext.Default.LiveSeries
        )!;
        Assert.Equal([1L, 2L], back.Steps);
        Assert.Equal(0.5, back.Values[0]);
        Assert.True(double.IsNaN(back.Values[1]));
        Assert.Equal([3L, 4L], back.Times);
    }

    [Fact]
    public void Packed_history_round_trips_and_rejects_a_wrong_length()
    {
        var bytes = MetricColumns.Pack(10, true, [new(1, 0.25, 0, 1, 100), new(9, double.NaN, 0, 1, 900)]);
        var back = MetricColumns.Unpack(bytes);
        Assert.Equal((10L, true), (back.Count, back.Sampled));
        Assert.Equal([1L, 9L], back.Steps);
        Assert.Equal(0.25, back.Values[0]);
        Assert.True(double.IsNaN(back.Values[1]));
        Assert.Equal([100L, 900L], back.Times);
        Assert.Throws<FormatException>(() => MetricColumns.Unpack(bytes.AsSpan(0, bytes.Length - 8)));
    }
}
