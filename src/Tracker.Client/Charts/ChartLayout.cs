namespace Tracker.Client.Charts;

/// <summary>What a chart marks on its step axis: the best step (with its label), the advised stop, and the kept
/// checkpoints (in step order).</summary>
internal sealed record ChartMarks(long? Best, string BestLabel, long? Stop, IReadOnlyList<long> Checkpoints)
{
    /// <summary>No marks.</summary>
    public static readonly ChartMarks None = new(null, "best step", null, []);

    /// <summary>True when both mark the same steps with the same label.</summary>
    public bool SameAs(ChartMarks other) =>
        Best == other.Best && BestLabel == other.BestLabel && Stop == other.Stop && Checkpoints.SequenceEqual(other.Checkpoints);
}

/// <summary>A metric chart's Plotly layout: size and margins, the legend row above the plot, the axes' types, and the
/// marks' lines and labels.</summary>
internal static class ChartLayout
{
    /// <summary>The layout of a chart <paramref name="height"/> pixels high in <paramref name="view"/>, with <paramref name="marks"/>.</summary>
    public static object For(ChartView view, int height, ChartMarks marks) =>
        new
        {
            height,
            margin = new
            {
                l = 50,
                r = 10,
                t = 28,
                b = 36,
            },
            showlegend = true,
            // The legend sits in a row above the plot, not over it or beside it (where it would take the plot's width).
            legend = new
            {
                orientation = "h",
                x = 0,
                xanchor = "left",
                y = 1,
                yanchor = "bottom",
            },
            // A user's zoom survives redraws with the same view; a new axis type starts from autorange.
            uirevision = $"{view.WallTime}/{view.YScale}",
            xaxis = new { type = view.WallTime ? "date" : "linear" },
            yaxis = new { type = view.LogY ? "log" : "linear" },
            // Until the user sets a log-y control (the page's or the chart's own), charts.js switches a chart whose
            // values span more than three decades to log y.
            meta = new { autoLogY = view.YScale == YScale.Auto },
            shapes = Shapes(view, marks),
            annotations = Annotations(view, marks),
        };

    /// <summary>Each marker says what it marks, at the top of its line: the best step's label to the left of its line, the
    /// stop's to the right (the stop comes at or after the best step, so the two do not overlap).</summary>
    private static object[] Annotations(ChartView view, ChartMarks marks)
    {
        if (view.WallTime)
            return [];
        var annotations = new List<object>(2);
        if (marks.Best is { } at)
            annotations.Add(Annotation(at, $"{marks.BestLabel} {at}", BestColor, marks.Stop is null ? "center" : "right"));
        if (marks.Stop is { } stop)
            annotations.Add(Annotation(stop, $"stop advised {stop}", StopColor, marks.Best is null ? "center" : "left"));
        return [.. annotations];
    }

    private static object Annotation(long step, string text, string color, string xanchor) =>
        new
        {
            x = step,
            y = 1,
            yref = "paper",
            yanchor = "bottom",
            xanchor,
            text,
            showarrow = false,
            font = new { size = 11, color },
        };

    private const string BestColor = "#16a34a";
    private const string StopColor = "#dc2626";

    /// <summary>The best-step line, the stop line, then a tick at the foot of the plot per kept checkpoint (steps only: not on a wall-time axis).</summary>
    private static object[] Shapes(ChartView view, ChartMarks marks)
    {
        if (view.WallTime)
            return [];
        var shapes = new List<object>(2 + marks.Checkpoints.Count);
        if (marks.Best is { } step)
            shapes.Add(Line("best step", step, BestColor, "dot"));
        if (marks.Stop is { } stop)
            shapes.Add(Line("stop advised", stop, StopColor, "dash"));
        foreach (var checkpoint in marks.Checkpoints)
        {
            shapes.Add(
                new
                {
                    type = "line",
                    name = "checkpoint",
                    x0 = checkpoint,
                    x1 = checkpoint,
                    y0 = 0,
                    y1 = 0.06,
                    yref = "paper",
                    line = new { color = "#7c3aed", width = 3 },
                }
            );
        }
        return [.. shapes];
    }

    private static object Line(string name, long step, string color, string dash) =>
        new
        {
            type = "line",
            name,
            x0 = step,
            x1 = step,
            y0 = 0,
            y1 = 1,
            yref = "paper",
            line = new
            {
                color,
                dash,
                width = 1.5,
            },
        };
}
