namespace Tracker.Analysis.Convergence;

/// <summary>Thins a series for drawing: the points are cut into buckets and each bucket keeps its smallest and largest
/// value (in step order), so a spike survives; a bucket of only NaN keeps one, so the gap shows. Serves the server's
/// live push of a large burst and the dashboard's thinning of a chart's held points.</summary>
public static class MinMaxDecimation
{
    /// <summary>Indices (into the series' points, in order) of the points to send: all of them when
    /// there are at most <paramref name="maxPoints"/>, else at most <paramref name="maxPoints"/>.</summary>
    public static int[] Select(ReadOnlySpan<double> values, int maxPoints)
    {
        var count = values.Length;
        if (count <= maxPoints)
        {
            var all = new int[count];
            for (var i = 0; i < count; i++)
                all[i] = i;
            return all;
        }
        var buckets = Math.Max(1, maxPoints / 2);
        var size = (count + buckets - 1) / buckets;
        var picked = new List<int>(buckets * 2);
        for (var start = 0; start < count; start += size)
        {
            var end = Math.Min(count, start + size);
            int lo = -1,
                hi = -1;
            for (var i = start; i < end; i++)
            {
                var v = values[i];
                if (double.IsNaN(v))
                    continue;
                if (lo < 0 || v < values[lo])
                    lo = i;
                if (hi < 0 || v > values[hi])
                    hi = i;
            }
            if (lo < 0)
            {
                picked.Add(end - 1); // only NaN in this bucket: keep one, so the gap shows
                continue;
            }
            if (lo == hi)
            {
                picked.Add(lo);
            }
            else
            {
                picked.Add(Math.Min(lo, hi));
                picked.Add(Math.Max(lo, hi));
            }
        }
        return [.. picked];
    }
}
