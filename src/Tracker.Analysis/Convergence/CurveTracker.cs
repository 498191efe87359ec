namespace Tracker.Analysis.Convergence;

/// <summary>Running summary of one curve: smoothed value, its minimum, noise level and a decimated reservoir of the smoothed curve.</summary>
internal sealed class CurveTracker
{
    private readonly DebiasedEma _ema;
    private readonly DebiasedEma _noise = new(0.98);
    private readonly DebiasedEma _curvature = new(0.98);
    private double _raw1 = double.NaN;
    private double _raw2 = double.NaN;
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

    /// <summary>Raw points the decimated reservoir holds (all of them up to its capacity): what a window mean averages.</summary>
    public int WindowPoints => _raw.Count;

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

    /// <summary>The point-to-point noise with the trend taken out, on the scale of a mean absolute deviation (NaN before three
    /// points): the mean |x_t − 2x_{t−1} + x_{t−2}| over √6. A straight or gently bending descent adds nothing to it, where
    /// <see cref="Noise"/> also holds the smoothing's lag behind a steep descent (large on short, steadily falling series).</summary>
    public double TrendFreeNoise => _curvature.Count == 0 ? double.NaN : _curvature.Value / 2.449489742783178;

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
        if (!double.IsNaN(_raw2))
        {
            _curvature.Next(Math.Abs(value - (2 * _raw1) + _raw2));
        }

        _raw2 = _raw1;
        _raw1 = value;
        var deviation = double.IsNaN(_previous) ? double.NaN : Math.Abs(value - _previous);
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
    public double MeanBetween(double from, double to) => MeanBetween(_reservoir, from, to);

    /// <summary>Mean of the raw points over a fraction [from, to] of the step span (the nearest point when none lies inside):
    /// unlike the smoothed curve it does not lag behind a descent, which on a short series (one point per epoch) would
    /// understate both the progress made and the progress still being made.</summary>
    public double RawMeanBetween(double from, double to) => MeanBetween(_raw, from, to);

    private double MeanBetween(DecimatedReservoir reservoir, double from, double to)
    {
        var steps = reservoir.Steps;
        var values = reservoir.Values;
        if (steps.Length == 0)
        {
            return double.NaN;
        }

        double first = steps[0];
        var span = steps[^1] - first;
        var lo = first + (from * span);
        var hi = first + (to * span);
        double sum = 0;
        var n = 0;
        for (var i = 0; i < steps.Length; i++)
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
        var steps = _reservoir.Steps;
        var best = double.NaN;
        var distance = long.MaxValue;
        for (var i = 0; i < steps.Length; i++)
        {
            var d = Math.Abs(steps[i] - step);
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
    /// the drop between the medians of the window's halves; <paramref name="lineFall"/> is the line's fall alone and
    /// <paramref name="fallError"/> its standard error. NaN with fewer than 8 points.</summary>
    public void RawBand(double from, out double band, out double fall, out double lineFall, out double fallError)
    {
        band = double.NaN;
        fall = double.NaN;
        lineFall = double.NaN;
        fallError = double.NaN;
        var steps = _raw.Steps;
        var values = _raw.Values;
        if (steps.Length < 8)
        {
            return;
        }

        var lo = steps[0] + (from * (steps[^1] - steps[0]));
        var start = 0;
        while (start < steps.Length && steps[start] < lo)
        {
            start++;
        }

        var n = steps.Length - start;
        if (n < 8)
        {
            return;
        }

        double mx = 0,
            my = 0;
        for (var i = start; i < steps.Length; i++)
        {
            mx += steps[i];
            my += values[i];
        }

        mx /= n;
        my /= n;
        double sxy = 0,
            sxx = 0;
        for (var i = start; i < steps.Length; i++)
        {
            sxy += (steps[i] - mx) * (values[i] - my);
            sxx += (steps[i] - mx) * (steps[i] - mx);
        }

        var slope = sxx > 0 ? sxy / sxx : 0;
        Span<double> residuals = stackalloc double[n];
        for (var i = start; i < steps.Length; i++)
        {
            residuals[i - start] = values[i] - (my + (slope * (steps[i] - mx)));
        }

        double sse = 0;
        foreach (var r in residuals)
        {
            sse += r * r;
        }

        // The standard error of the line's fall over the window (its slope's, times the span): how much of a fall noise explains.
        fallError = sxx > 0 ? Math.Sqrt(sse / (n - 2) / sxx) * (steps[^1] - steps[start]) : double.NaN;
        residuals.Sort();
        band = Quantile(residuals, 0.9) - Quantile(residuals, 0.1);
        // The fall is the smaller of the line's and the drop between the medians of the window's two halves: a few spikes
        // early in the window tilt a least-squares line, not the medians.
        var half = n / 2;
        Span<double> early = stackalloc double[half];
        Span<double> late = stackalloc double[n - half];
        values.Slice(start, half).CopyTo(early);
        values.Slice(start + half).CopyTo(late);
        early.Sort();
        late.Sort();
        lineFall = -slope * (steps[^1] - steps[start]);
        fall = Math.Min(lineFall, Quantile(early, 0.5) - Quantile(late, 0.5));
    }

    private static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        var lo = (int)pos;
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((pos - lo) * (sorted[hi] - sorted[lo]));
    }
}
