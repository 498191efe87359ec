using System.Text.Json;
using Tracker.Client.Charts;

namespace Tracker.Client.Tests.Charts;

/// <summary>The Plotly layout a metric chart draws with, read as the JSON that charts.js receives.</summary>
public sealed class ChartLayoutTests
{
    private static JsonElement Layout(ChartView view, ChartMarks marks) => JsonSerializer.SerializeToElement(ChartLayout.For(view, 300, marks));

    [Fact]
    public void The_best_step_and_the_advised_stop_are_labelled_lines_and_checkpoints_are_ticks_at_the_foot()
    {
        var layout = Layout(new ChartView(), new ChartMarks(40, "best step", 55, [10, 20]));

        var shapes = layout.GetProperty("shapes").EnumerateArray().ToList();
        Assert.Equal(["best step", "stop advised", "checkpoint", "checkpoint"], shapes.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([40L, 55, 10, 20], shapes.Select(s => s.GetProperty("x0").GetInt64()));
        Assert.All(shapes.Take(2), s => Assert.Equal(1, s.GetProperty("y1").GetDouble()));
        Assert.All(shapes.Skip(2), s => Assert.True(s.GetProperty("y1").GetDouble() < 0.1));

        var labels = layout.GetProperty("annotations").EnumerateArray().ToList();
        Assert.Equal(["best step 40", "stop advised 55"], labels.Select(a => a.GetProperty("text").GetString()));
        // Side by side without overlapping: the best step's label ends at its line, the stop's starts at its own.
        Assert.Equal(["right", "left"], labels.Select(a => a.GetProperty("xanchor").GetString()));
    }

    [Fact]
    public void A_lone_mark_is_centred_on_its_line()
    {
        var labels = Layout(new ChartView(), new ChartMarks(null, "best step", 7, [])).GetProperty("annotations").EnumerateArray().ToList();
        Assert.Equal("stop advised 7", Assert.Single(labels).GetProperty("text").GetString());
        Assert.Equal("center", labels[0].GetProperty("xanchor").GetString());
    }

    [Fact]
    public void Step_marks_are_left_out_on_a_wall_time_axis()
    {
        var layout = Layout(new ChartView(WallTime: true), new ChartMarks(40, "best step", 55, [10]));
        Assert.Equal(0, layout.GetProperty("shapes").GetArrayLength());
        Assert.Equal(0, layout.GetProperty("annotations").GetArrayLength());
        Assert.Equal("date", layout.GetProperty("xaxis").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(YScale.Auto, "linear", true)]
    [InlineData(YScale.Linear, "linear", false)]
    [InlineData(YScale.Log, "log", false)]
    public void The_y_axis_follows_the_scale_and_only_auto_lets_the_chart_switch_to_log(YScale scale, string type, bool auto)
    {
        var layout = Layout(new ChartView(YScale: scale), ChartMarks.None);
        Assert.Equal(type, layout.GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Equal(auto, layout.GetProperty("meta").GetProperty("autoLogY").GetBoolean());
    }

    [Fact]
    public void Marks_compare_by_their_steps_and_label()
    {
        Assert.True(new ChartMarks(1, "best step", 2, [3, 4]).SameAs(new ChartMarks(1, "best step", 2, new List<long> { 3, 4 })));
        Assert.False(new ChartMarks(1, "best step", 2, [3]).SameAs(new ChartMarks(1, "best step", 2, [3, 4])));
        Assert.False(new ChartMarks(1, "best step", null, []).SameAs(new ChartMarks(1, "best val step", null, [])));
    }
}
