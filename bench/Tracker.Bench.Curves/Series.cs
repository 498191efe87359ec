namespace Tracker.Bench.Curves;

/// <summary>A recorded series: steps and values in step order.</summary>
internal sealed class Series
{
    public List<long> Steps { get; } = [];

    public List<double> Values { get; } = [];

    public int Count => Values.Count;

    public void Add(long step, double value)
    {
        Steps.Add(step);
        Values.Add(value);
    }

    /// <summary>Index of the first non-finite value, or -1.</summary>
    public int FirstNonFinite()
    {
        for (var i = 0; i < Values.Count; i++)
        {
            if (!double.IsFinite(Values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Mean of the values whose step lies in the fraction [from, to] of the step span (the nearest point when none).</summary>
    public double MeanBetween(double from, double to)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        double first = Steps[0];
        var span = Steps[^1] - first;
        double lo = first + (from * span),
            hi = first + (to * span);
        double sum = 0;
        var n = 0;
        for (var i = 0; i < Count; i++)
        {
            if (Steps[i] >= lo && Steps[i] <= hi)
            {
                sum += Values[i];
                n++;
            }
        }

        if (n > 0)
        {
            return sum / n;
        }

        return ValueAt((long)((lo + hi) / 2));
    }

    /// <summary>The value at the point closest to a step.</summary>
    public double ValueAt(long step)
    {
        var best = 0;
        for (var i = 1; i < Count; i++)
        {
            if (Math.Abs(Steps[i] - step) < Math.Abs(Steps[best] - step))
            {
                best = i;
            }
        }

        return Values[best];
    }
}
