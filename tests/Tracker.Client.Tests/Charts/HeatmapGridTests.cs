using Tracker.Client.Charts;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Charts;

public sealed class HeatmapGridTests
{
    private static MetricColumns Row(long[] steps, double[] values) => new(steps.Length, false, steps, values, new long[steps.Length]);

    [Fact]
    public void Cells_are_log10_of_each_layers_norm_at_the_widest_layers_steps()
    {
        var (steps, cells) = HeatmapGrid.Build([Row([0, 10, 20], [1, 10, 100]), Row([0, 10, 20, 30], [0.1, 0.01, 0.001, 1000])]);

        Assert.Equal([0d, 10, 20, 30], steps);
        Assert.Equal([0d, 1, 2, double.NaN, -1, -2, -3, 3], cells);
    }

    [Fact]
    public void Points_between_columns_fall_into_the_next_column_and_the_last_one_wins()
    {
        // The second layer was sampled into other buckets: 5 and 9 lie in (0, 10], 25 in (20, 30], 40 past the end.
        var (_, cells) = HeatmapGrid.Build([Row([0, 10, 20, 30], [1, 1, 1, 1]), Row([5, 9, 25, 40], [1000, 100, 10, 0.1])]);

        Assert.Equal([double.NaN, 2, double.NaN, -1], cells[4..]);
    }

    [Fact]
    public void Zero_and_non_finite_norms_are_empty_cells()
    {
        var (_, cells) = HeatmapGrid.Build([Row([1, 2, 3, 4], [0, double.NaN, double.PositiveInfinity, 1e-12])]);

        Assert.Equal([double.NaN, double.NaN, double.NaN, -12], cells);
    }

    [Fact]
    public void No_layers_give_an_empty_grid()
    {
        var (steps, cells) = HeatmapGrid.Build([]);

        Assert.Empty(steps);
        Assert.Empty(cells);
    }
}
