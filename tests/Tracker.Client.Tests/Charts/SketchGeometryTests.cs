using Tracker.Client.Charts;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Charts;

/// <summary>The server's first-paint sketch: its geometry in closed form, and the same log-y decision as the chart's.</summary>
public sealed class SketchGeometryTests
{
    private static MetricColumns History(params double[] values) =>
        new(values.Length, false, [.. Enumerable.Range(0, values.Length).Select(i => (long)i)], values, new long[values.Length]);

    private static MetricColumns Decay(double from, double to, int n = 50) =>
        History([.. Enumerable.Range(0, n).Select(i => from * Math.Pow(to / from, i / (double)(n - 1)))]);

    [Fact]
    public void A_decade_per_step_is_a_straight_diagonal_on_log_y()
    {
        var history = History(1, 0.1, 0.01, 1e-3, 1e-4);
        var range = SketchGeometry.Range([history])!.Value;
        Assert.Equal((0L, 4L, 1e-4, 1.0), range);
        Assert.Equal("0,0 250,250 500,500 750,750 1000,1000", Assert.Single(SketchGeometry.Polylines(history, range, logY: true)));
        // Linear: 0.1 sits at (1 − 0.1) / (1 − 1e-4) of the height.
        Assert.StartsWith("0,0 250,900.1 ", Assert.Single(SketchGeometry.Polylines(history, range)));
    }

    [Fact]
    public void A_gap_at_nan_splits_the_line()
    {
        var history = History(1, 2, double.NaN, 3);
        var lines = SketchGeometry.Polylines(history, SketchGeometry.Range([history])!.Value).ToList();
        Assert.Equal(["0,1000 333.3,500", "1000,0"], lines);
    }

    [Fact]
    public void Log_y_is_chosen_as_the_chart_chooses_it()
    {
        Assert.True(SketchGeometry.AutoLogY([Decay(1, 1e-5)])); // five decades, all positive
        Assert.False(SketchGeometry.AutoLogY([Decay(1, 1e-2)])); // two decades
        Assert.False(SketchGeometry.AutoLogY([History(1, 1e-5, 0)])); // a value at zero
        Assert.True(SketchGeometry.AutoLogY([Decay(1, 1e-4), Decay(2, 1e-3)]));
        // One trace running far above the others is clipped as diverged, and a clipped chart stays linear.
        Assert.False(SketchGeometry.AutoLogY([Decay(1, 1e-4), Decay(1e-4, 100)]));
        // A single trace whose second half climbs more than ten times its first half's height is clipped too.
        Assert.False(SketchGeometry.AutoLogY([History(1e-4, 1e-3, 1e-2, 1, 1000, 10_000)]));
    }
}
