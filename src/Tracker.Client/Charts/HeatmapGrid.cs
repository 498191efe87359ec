using Tracker.Sdk.Contracts;

namespace Tracker.Client.Charts;

/// <summary>The layer × step grid of the gradient heatmap: one row per layer, one column per step of the layer with the
/// most points, each cell the log₁₀ of the last norm logged at or before its column's step (and after the previous
/// column's), or NaN (an empty cell) where the layer logged nothing there or the norm is zero or not finite.</summary>
public static class HeatmapGrid
{
    /// <summary>The columns' steps and the cells, row by row.</summary>
    public static (double[] Steps, double[] Cells) Build(IReadOnlyList<MetricColumns> rows)
    {
        if (rows.Count == 0)
            return ([], []);
        var widest = rows[0];
        foreach (var r in rows)
        {
            if (r.Steps.Length > widest.Steps.Length)
                widest = r;
        }
        var columns = widest.Steps;
        var cells = new double[rows.Count * columns.Length];
        cells.AsSpan().Fill(double.NaN);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var rowCells = cells.AsSpan(r * columns.Length, columns.Length);
            for (var i = 0; i < row.Steps.Length; i++)
            {
                // The first column at or after the point's step; points past the last column go to the last one.
                var c = Array.BinarySearch(columns, row.Steps[i]);
                if (c < 0)
                    c = Math.Min(~c, columns.Length - 1);
                var v = row.Values[i];
                rowCells[c] = v > 0 && double.IsFinite(v) ? Math.Log10(v) : double.NaN;
            }
        }
        return (Array.ConvertAll(columns, s => (double)s), cells);
    }
}
