namespace Tracker.Analysis.Convergence;

/// <summary>Running summary of one curve: smoothed value, its minimum, noise level and a decimated reservoir of the smoothed curve.</summary>
internal sealed class CurveTracker
{
    private readonly DebiasedEma _ema;
    private readonly DebiasedEma _noise = new(0.98);
    private readonly DecimatedReservoir _reservoir;
    private readonly DecimatedReservoir _raw;
    private double _previous = double.NaN;
    private double _deviationSinceMin;
    private long _deviationsSinceMin;

    public CurveTracker(double smoothingWeight, int capacity = 256)
    {
        _ema = new DebiasedEma(smoothingWeight);
        _reservoir = new DecimatedReservoir(capacity);
        _raw = new DecimatedReservoir(capacity);
    }

    public long Count { get; private set; }

    public long NonFinite { get; private set; }

    public long FirstStep { get; private set; }

    public long LastStep { get; private set; } = long.MinValue;

    public double Smoothed { get; private set; } = double.NaN;

    public double Last { get; private set; } = double.NaN;

    /// <summary>The first finite raw value.</summary>
    public double First { get; private set; } = double.NaN;

    public double Min { get; private set; } = double.PositiveInfinity;

    public long MinStep { get; private set; }

    public long CountAtMin { get; private set; }

    /// <summary>Mean absolute deviation of raw values from the smoothed curve (slow EMA), NaN before two points.</summary>
    public double Noise => _noise.Value;

    /// <summary>Mean absolute deviation of raw values from the smoothed curve over the points after the minimum (NaN when none):
    /// the noise where a rise is judged, free of the steep early descent that inflates <see cref="Noise"/> on short series.</summary>
    public double NoiseSinceMin => _deviationsSinceMin > 0 ? _deviationSinceMin / _deviationsSinceMin : double.NaN;

    /// <summary>Points after the minimum that <see cref="NoiseSinceMin"/> averages.</summary>
    public long DeviationsSinceMin => _deviationsSinceMin;

    /// <summary>Returns false for a point whose step is not after the last one.</summary>
    public bool Observe(long step, double value)
    {
        if (Count + NonFinite > 0 && step <= LastStep)
        {
            return false;
        }

        LastStep = step;
        if (!double.IsFinite(value))
        {
            NonFinite++;
            return true;
        }

        if (Count == 0)
        {
            FirstStep = step;
            First = value;
        }

        Count++;
        Last = value;
        double deviation = double.IsNaN(_previous) ? double.NaN : Math.Abs(value - _previous);
        if (!double.IsNaN(deviation))
        {
            _noise.Next(deviation);
        }

        Smoothed = _ema.Next(value);
        _previous = Smoothed;
        if (Smoothed < Min)
        {
            Min = Smoothed;
            MinStep = step;
            CountAtMin = Count;
            _deviationSinceMin = 0;
            _deviationsSinceMin = 0;
        }
        else if (!double.IsNaN(deviation))
        {
            _deviationSinceMin += deviation;
            _deviationsSinceMin++;
        }

        _reservoir.Add(step, Smoothed);
        _raw.Add(step, value);
        return true;
    }

    /// <summary>Mean of the smoothed curve over a fraction [from, to] of its step span (the nearest point when none lies inside).</summary>
    public double MeanBetween(double from, double to)
    {
        ReadOnlySpan<long> steps = _reservoir.Steps;
        ReadOnlySpan<double> values = _reservoir.Values;
        if (steps.Length == 0)
        {
            return double.NaN;
        }

        double first = steps[0];
        double span = steps[^1] - first;
        double lo = first + (from * span);
        double hi = first + (to * span);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < steps.Length; i++)
        {
            if (steps[i] >= lo && steps[i] <= hi)
            {
                sum += values[i];
                n++;
            }
        }

        return n > 0 ? sum / n : ValueNear((long)((lo + hi) / 2));
    }

    /// <summary>The smoothed value at the reservoir point closest to a step.</summary>
    public double ValueNear(long step)
    {
        ReadOnlySpan<long> steps = _reservoir.Steps;
        double best = double.NaN;
        long distance = long.MaxValue;
        for (int i = 0; i < steps.Length; i++)
        {
            long d = Math.Abs(steps[i] - step);
            if (d < distance)
            {
                distance = d;
                best = _reservoir.Values[i];
            }
        }

        return best;
    }

    /// <summary>The raw (unsmoothed) points over a fraction [from, 1] of the step span, read against their
    /// least-squares line: <paramref name="band"/> is the spread between the 10th and 90th percentiles of the
    /// residuals (a robust swing amplitude: one spike moves it little, a steady descent adds nothing) and
    /// <paramref name="fall"/> how much the curve fell over the window (negative when it rose): the smaller of the line's fall and
    /// the drop between the medians of the window's halves. NaN with fewer than 8 points.</summary>
    public void RawBand(double from, out double band, out double fall)
    {
        band = double.NaN;
        fall = double.NaN;
        ReadOnlySpan<long> steps = _raw.Steps;
        ReadOnlySpan<double> values = _raw.Values;
        if (steps.Length < 8)
        {
            return;
        }

        double lo = steps[0] + (from * (steps[^1] - steps[0]));
        int start = 0;
        while (start < steps.Length && steps[start] < lo)
        {
            start++;
        }

        int n = steps.Length - start;
        if (n < 8)
        {
            return;
        }

        double mx = 0, my = 0;
        for (int i = start; i < steps.Length; i++)
        {
            mx += steps[i];
            my += values[i];
        }

        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0;
        for (int i = start; i < steps.Length; i++)
        {
            sxy += (steps[i] - mx) * (values[i] - my);
            sxx += (steps[i] - mx) * (steps[i] - mx);
        }

        double slope = sxx > 0 ? sxy / sxx : 0;
        Span<double> residuals = stackalloc double[n];
        for (int i = start; i < steps.Length; i++)
        {
            residuals[i - start] = values[i] - (my + (slope * (steps[i] - mx)));
        }

        residuals.Sort();
        band = Quantile(residuals, 0.9) - Quantile(residuals, 0.1);
        // The fall is the smaller of the line's and the drop between the medians of the window's two halves: a few spikes
        // early in the window tilt a least-squares line, not the medians.
        int half = n / 2;
        Span<double> early = stackalloc double[half];
        Span<double> late = stackalloc double[n - half];
        values.Slice(start, half).CopyTo(early);
        values.Slice(start + half).CopyTo(late);
        early.Sort();
        late.Sort();
        fall = Math.Min(-slope * (steps[^1] - steps[start]), Quantile(early, 0.5) - Quantile(late, 0.5));
    }

    private static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)pos;
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((pos - lo) * (sorted[hi] - sorted[lo]));
    }
}
