using System.Globalization;
using Microsoft.AspNetCore.Components;
using Tracker.Client.Pages;

namespace Tracker.Client.Charts;

/// <summary>A static SVG drawing of a chart's sampled first histories (steps on x, values on y, linear), for the page's
/// first paint before Plotly draws: a line per trace in its colour (gaps at NaN and infinities), the y range and the
/// step range as labels, and a legend when there are several traces. The server computed the geometry
/// (<see cref="SketchGeometry"/>); this places it.</summary>
public sealed partial class ChartSketch : ComponentBase
{
    private const int Extent = SketchGeometry.Extent;

    private List<(string Points, string? Color, bool Dashed)> _lines = [];
    private List<(string Name, string? Color)> _legend = [];
    private SeriesSketch? _range;

    /// <summary>The chart's traces (name, colour, dash).</summary>
    [Parameter, EditorRequired]
    public required IReadOnlyList<TraceSource> Traces { get; set; }

    /// <summary>The sketched series by metric key; a trace without one is left out.</summary>
    [Parameter, EditorRequired]
    public required IReadOnlyDictionary<string, SeriesSketch> Sketches { get; set; }

    protected override void OnParametersSet()
    {
        var drawn = Traces.Where(t => Sketches.ContainsKey(t.Key)).ToList();
        _legend = [.. drawn.Select(t => (t.Name, t.Color))];
        _range = drawn.Count > 0 ? Sketches[drawn[0].Key] : null;
        _lines = [.. drawn.SelectMany(t => Sketches[t.Key].Lines.Select(points => (points, t.Color, t.Dashed)))];
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
