namespace Tracker.Analysis.Convergence;

/// <summary>Running summary of one curve: smoothed value, its minimum, noise level and a decimated reservoir of the smoothed curve.</summary>
internal sealed class CurveTracker
{
    private readonly DebiasedEma _ema;
    private readonly DebiasedEma _noise = new(0.98);
    private readonly DecimatedReservoir _reservoir;
    private double _previous = double.NaN;
    private double _deviationSinceMin;
    private long _deviationsSinceMin;

    public CurveTracker(double smoothingWeight, int capacity = 256)
    {
        _ema = new DebiasedEma(smoothingWeight);
        _reservoir = new DecimatedReservoir(capacity);
    }

    public long Count { get; private set; }

    public long NonFinite { get; private set; }

    public long FirstStep { get; private set; }

    public long LastStep { get; private set; } = long.MinValue;

    public double Smoothed { get; private set; } = double.NaN;

    public double Last { get; private set; } = double.NaN;

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
}
