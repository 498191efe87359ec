namespace Tracker.Client.Charts;

/// <summary>One line of a chart: a series of a run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Key">The metric key.</param>
/// <param name="Name">Legend text.</param>
/// <param name="Color">Line colour (CSS), or null for Plotly's cycle.</param>
/// <param name="Dashed">Drawn dashed (validation series).</param>
public sealed record TraceSource(string RunId, string Key, string Name, string? Color = null, bool Dashed = false);

/// <summary>How a chart shows its series.</summary>
/// <param name="Smoothing">Debiased-EMA weight in [0, 1); 0 draws raw values.</param>
/// <param name="YScale">The y scale the page's control asks for (automatic until the user sets it).</param>
/// <param name="WallTime">x is wall time instead of step.</param>
public sealed record ChartView(double Smoothing = 0, YScale YScale = YScale.Auto, bool WallTime = false)
{
    /// <summary>Every chart's y axis is logarithmic.</summary>
    public bool LogY => YScale == YScale.Log;
}
