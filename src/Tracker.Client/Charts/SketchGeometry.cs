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

    /// <summary>True when the chart (charts.js's <c>readable</c>, with the view's y scale left on auto) switches these
    /// histories to log y by itself: every finite value positive, spanning more than three decades, and no trace clipped
    /// as a diverged tail (one that runs more than ten times the others' height above their lowest value).</summary>
    public static bool AutoLogY(IReadOnlyList<MetricColumns> histories)
    {
        var stats = new List<(double Lo, double Hi, double FirstHalfHi, double PosLo)>(histories.Count);
        foreach (var h in histories)
        {
            double lo = double.PositiveInfinity,
                hi = double.NegativeInfinity,
                firstHalfHi = double.NegativeInfinity,
                posLo = double.PositiveInfinity;
            for (var i = 0; i < h.Values.Length; i++)
            {
                var v = h.Values[i];
                if (!double.IsFinite(v))
                    continue;
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
                if (v > 0)
                    posLo = Math.Min(posLo, v);
                if (i < h.Values.Length / 2.0)
                    firstHalfHi = Math.Max(firstHalfHi, v);
            }
            if (double.IsFinite(lo))
                stats.Add((lo, hi, double.IsFinite(firstHalfHi) ? firstHalfHi : hi, posLo));
        }
        if (stats.Count == 0 || stats.Any(s => s.Lo <= 0))
            return false;
        var low = stats.Min(s => s.Lo);
        bool clipped;
        if (stats.Count == 1)
        {
            var b = stats[0].FirstHalfHi - low;
            clipped = b > 0 && stats[0].Hi - low > 10 * b;
        }
        else
        {
            var heights = stats.Select(s => s.Hi - low).Order().ToList();
            var b = heights[(heights.Count - 1) / 2];
            clipped = b > 0 && heights.Any(h => h > 10 * b);
        }
        return !clipped && Math.Log10(stats.Max(s => s.Hi) / stats.Min(s => s.PosLo)) > 3;
    }

    /// <summary>The SVG <c>points</c> of a history in the drawing's coordinates, one per stretch of finite values; on a
    /// log y axis (<paramref name="logY"/>, for positive values) by the values' logarithms.</summary>
    public static IEnumerable<string> Polylines(MetricColumns history, (long XMin, long XMax, double YMin, double YMax) range, bool logY = false)
    {
        var width = Math.Max(1, range.XMax - range.XMin);
        Func<double, double> scale = logY ? Math.Log10 : v => v;
        var top = scale(range.YMax);
        var height = top - scale(range.YMin);
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
            var y = (top - scale(history.Values[i])) * Extent / height;
            if (text.Length > 0)
                text.Append(' ');
            text.Append(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}");
        }
    }
}
