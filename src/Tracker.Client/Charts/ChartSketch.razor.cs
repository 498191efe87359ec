using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Charts;

/// <summary>A static SVG drawing of a chart's sampled first histories (steps on x, values on y, linear), for the page's
/// first paint before Plotly draws: a line per trace in its colour (gaps at NaN and infinities), the y range and the
/// step range as labels, and a legend when there are several traces.</summary>
public sealed partial class ChartSketch : ComponentBase
{
    /// <summary>Width and height of the drawing's coordinate space (it is stretched to the plot's box).</summary>
    private const int Extent = 1000;

    private List<(string Points, string? Color, bool Dashed)> _lines = [];
    private List<(string Name, string? Color)> _legend = [];
    private (long XMin, long XMax, double YMin, double YMax)? _range;

    /// <summary>The chart's traces (name, colour, dash).</summary>
    [Parameter, EditorRequired]
    public required IReadOnlyList<TraceSource> Traces { get; set; }

    /// <summary>The first histories by metric key; a trace without one is left out.</summary>
    [Parameter, EditorRequired]
    public required IReadOnlyDictionary<string, MetricColumns> Histories { get; set; }

    protected override void OnParametersSet()
    {
        var drawn = Traces.Where(t => Histories.ContainsKey(t.Key)).ToList();
        _legend = [.. drawn.Select(t => (t.Name, t.Color))];
        _range = Range(drawn.Select(t => Histories[t.Key]));
        _lines = [];
        if (_range is not { } r)
            return;
        foreach (var trace in drawn)
        {
            foreach (var points in Polylines(Histories[trace.Key], r))
                _lines.Add((points, trace.Color, trace.Dashed));
        }
    }

    /// <summary>The steps and finite values the histories span; null when no history has a finite value.</summary>
    internal static (long XMin, long XMax, double YMin, double YMax)? Range(IEnumerable<MetricColumns> histories)
    {
        long xMin = long.MaxValue,
            xMax = long.MinValue;
        double yMin = double.PositiveInfinity,
            yMax = double.NegativeInfinity;
        foreach (var h in histories)
        {
            for (var i = 0; i < h.Steps.Length; i++)
            {
                if (!double.IsFinite(h.Values[i]))
                    continue;
                xMin = Math.Min(xMin, h.Steps[i]);
                xMax = Math.Max(xMax, h.Steps[i]);
                yMin = Math.Min(yMin, h.Values[i]);
                yMax = Math.Max(yMax, h.Values[i]);
            }
        }
        if (xMin > xMax)
            return null;
        if (yMin == yMax)
        {
            var pad = yMin == 0 ? 1 : Math.Abs(yMin) * 0.1;
            (yMin, yMax) = (yMin - pad, yMax + pad);
        }
        return (xMin, xMax, yMin, yMax);
    }

    /// <summary>The SVG <c>points</c> of a history in the drawing's coordinates, one per stretch of finite values.</summary>
    internal static IEnumerable<string> Polylines(MetricColumns history, (long XMin, long XMax, double YMin, double YMax) range)
    {
        var width = Math.Max(1, range.XMax - range.XMin);
        var height = range.YMax - range.YMin;
        var text = new StringBuilder();
        for (var i = 0; i <= history.Steps.Length; i++)
        {
            if (i == history.Steps.Length || !double.IsFinite(history.Values[i]))
            {
                if (text.Length > 0)
                    yield return text.ToString();
                text.Clear();
                continue;
            }
            var x = (history.Steps[i] - range.XMin) * (double)Extent / width;
            var y = (range.YMax - history.Values[i]) * Extent / height;
            if (text.Length > 0)
                text.Append(' ');
            text.Append(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}");
        }
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
