using Tracker.Client.Charts;

namespace Tracker.Client.Tests.Charts;

public sealed class ChartSeriesTests
{
    private static ChartSeries New() => new(new TraceSource("r", "loss", "loss"));

    [Fact]
    public void Live_points_at_or_before_the_last_step_are_dropped()
    {
        var s = New();
        s.Load([(0, 1.0, 0), (1, 0.9, 0), (2, 0.8, 0)], keepLater: false);
        var kept = s.Append([2, 3, 1, 4], [0.8, 0.7, 0.9, 0.6], [0, 0, 0, 0]);
        Assert.Equal(2, kept);
        Assert.Equal([0L, 1L, 2L, 3L, 4L], s.Steps);
    }

    [Fact]
    public void Points_pushed_while_the_history_loaded_stay_after_it()
    {
        var s = New();
        s.Append([5, 6], [0.5, 0.4], [0, 0]);
        s.Load([(0, 1.0, 0), (5, 0.5, 0)], keepLater: true);
        Assert.Equal([0L, 5L, 6L], s.Steps);
    }

    [Fact]
    public void Projection_turns_non_finite_values_into_gaps_and_smooths()
    {
        var s = New();
        s.Load([(0, 1.0, 0), (1, double.NaN, 0), (2, 3.0, 0)], keepLater: false);
        var (x, y) = s.Project(new ChartView(Smoothing: 0.5));
        Assert.Equal([0.0, 1.0, 2.0], x);
        Assert.Equal(1.0, y[0], 12);
        Assert.True(double.IsNaN(y[1]));
        Assert.Equal((0.5 * 0.5 + 0.5 * 3) / 0.75, y[2], 12);

        s.Append([3], [3.0], [0]);
        var (_, tail) = s.ProjectTail(1, new ChartView(Smoothing: 0.5));
        Assert.Equal((1.75 * 0.5 + 1.5) / 0.875, tail[0], 12);
    }

    [Fact]
    public void Wall_time_projects_to_unix_milliseconds()
    {
        var s = New();
        s.Load([(0, 1.0, 1_700_000_000_000), (1, 2.0, 1_700_000_000_500)], keepLater: false);
        var (x, _) = s.Project(new ChartView(WallTime: true));
        Assert.Equal([1_700_000_000_000.0, 1_700_000_000_500.0], x);
    }

    [Fact]
    public void Packed_history_keeps_live_points_after_its_last_step()
    {
        var s = New();
        s.Append([5, 6], [0.5, 0.4], [50, 60]);
        s.Load(new Tracker.Sdk.Contracts.MetricColumns(2, false, [0, 5], [1.0, 0.5], [0, 50]), keepLater: true);
        Assert.Equal([0L, 5L, 6L], s.Steps);
        s.Load(new Tracker.Sdk.Contracts.MetricColumns(1, false, [3], [2.0], [30]), keepLater: false);
        Assert.Equal([3L], s.Steps);
    }

    [Fact]
    public void Thinning_keeps_each_buckets_extremes_and_the_last_point()
    {
        var s = New();
        var n = 1_000;
        var values = Enumerable.Range(0, n).Select(i => Math.Sin(i / 50.0)).ToArray();
        values[333] = 40; // a spike
        values[600] = -40;
        values[700] = double.NaN;
        s.Append([.. Enumerable.Range(0, n).Select(i => (long)i)], values, new long[n]);

        Assert.False(s.Compact(2_000));
        Assert.True(s.Compact(100));
        Assert.InRange(s.Count, 50, 100);
        Assert.Equal(n - 1, s.LastStep);
        Assert.Equal(s.Steps.Order(), s.Steps);
        var (_, y) = s.Project(new ChartView());
        Assert.Contains(40.0, y);
        Assert.Contains(-40.0, y);
    }

    [Fact]
    public void Catch_up_read_fills_the_gap_between_history_and_live_points_once()
    {
        var s = New();
        s.Load(new Tracker.Sdk.Contracts.MetricColumns(3, false, [0, 1, 2], [1.0, 0.9, 0.8], [0, 10, 20]), keepLater: true);
        Assert.Equal(2, s.HistoryEnd);
        s.Append([6, 7], [0.4, 0.3], [60, 70]); // live, after the subscription
        var added = s.Merge(new Tracker.Sdk.Contracts.MetricColumns(4, false, [3, 4, 5, 6], [0.7, 0.6, 0.5, 0.4], [30, 40, 50, 60]));
        Assert.Equal(3, added);
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L], s.Steps);
        Assert.Equal(6, s.HistoryEnd);
        Assert.Equal(0, s.Merge(new Tracker.Sdk.Contracts.MetricColumns(1, false, [7], [0.3], [70])));
        Assert.Equal(0, s.Merge(new Tracker.Sdk.Contracts.MetricColumns(0, false, [], [], [])));
    }

    [Fact]
    public void A_wall_time_window_maps_to_the_steps_logged_around_it()
    {
        var s = New();
        Assert.Null(s.StepsCovering(0, 100));
        s.Load([(0, 1.0, 1000), (10, 0.9, 2000), (20, 0.8, 3000), (30, 0.7, 4000)], keepLater: false);
        Assert.Equal((10L, 30L), s.StepsCovering(2500, 3500));
        Assert.Equal((10L, 20L), s.StepsCovering(2000, 3000));
        Assert.Equal((0L, 30L), s.StepsCovering(0, 9000));
        Assert.Equal((30L, 30L), s.StepsCovering(5000, 6000));
    }
}

public sealed class FirstDrawingsTests
{
    [Fact]
    public async Task Completes_when_every_started_chart_ended()
    {
        var d = new FirstDrawings();
        d.Started();
        d.Started();
        var wait = d.WhenDrawnAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        d.Ended();
        Assert.False(wait.IsCompleted);
        d.Ended();
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Gives_up_after_the_timeout_when_no_chart_draws()
    {
        var d = new FirstDrawings();
        await d.WhenDrawnAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }
}

public sealed class ChartPackingTests
{
    [Fact]
    public void Traces_round_trip_through_one_packed_array()
    {
        double[][] xs =
        [
            [0, 1, 2],
            [],
            [5],
        ];
        double[][] ys =
        [
            [1.5, double.NaN, -3],
            [],
            [7],
        ];
        var packed = ChartPacking.Pack(xs, ys);
        Assert.Equal(8 * (3 + 2 * 3 + 2 * 1), packed.Length); // a count per trace, then x and y
        var back = ChartPacking.Unpack(packed);
        Assert.Equal(3, back.Count);
        Assert.Equal(xs[0], back[0].X);
        Assert.True(double.IsNaN(back[0].Y[1]));
        Assert.Empty(back[1].X);
        Assert.Equal([7.0], back[2].Y);
    }
}
