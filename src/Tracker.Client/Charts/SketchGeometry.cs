using System.Globalization;
using System.Text;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Charts;

/// <summary>The geometry of a chart's first-paint sketch, computed by the server from the series' sampled histories:
/// the range the chart's series span, and each series as SVG polylines in a square drawing space (stretched to the
/// plot's box), so the browser only places strings.</summary>
public static class SketchGeometry
{
    /// <summary>Width and height of the drawing's coordinate space.</summary>
    public const int Extent = 1000;

    /// <summary>The steps and finite values the histories span; null when no history has a finite value.</summary>
    public static (long XMin, long XMax, double YMin, double YMax)? Range(IEnumerable<MetricColumns> histories)
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
    public static IEnumerable<string> Polylines(MetricColumns history, (long XMin, long XMax, double YMin, double YMax) range)
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
}
