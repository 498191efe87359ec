namespace Tracker.Analysis.Convergence;

/// <summary>Estimates the convergence rate of a loss series online: O(1) per point, the fit on demand.</summary>
/// <remarks>
/// <para>Points go into a fixed-size decimated reservoir (256 points spread evenly over the run).
/// <see cref="Estimate"/> works on the error e = f − f*, with f* the known optimum when given,
/// otherwise the best of four candidates: the lowest value seen, the floors of
/// least-squares fits f = f* + A·t^(−p) and f = f* + A·e^(−λt) (grid over p and λ), and Aitken's Δ² limit of the last three points. The
/// candidate whose log-error is best explained by a line in t or in log t wins.</para>
/// <para>Classification, in order: <b>quadratic</b> when log e_{k+1} against log e_k (consecutive
/// points) has slope q ∈ [1.8, 2.6); <b>superlinear</b> when q ≥ 2.6 or the log ratio
/// log(e_{k+1}/e_k) keeps falling (the ratio tends to 0); otherwise <b>linear</b> (log e linear in
/// t, constant c = e^slope per step) or <b>sublinear</b> (log e linear in log t, p = −slope),
/// whichever has the higher R². Time t is the step, or step − first + 1 when steps start at 0.
/// Quadratic convergence can only be seen while the reservoir keeps every point (the first 256).</para>
/// </remarks>
public sealed class ConvergenceRateEstimator
{
    private readonly DecimatedReservoir _points;
    private readonly double? _optimum;
    private long _lastStep = long.MinValue;
    private long _count;
    private double _min = double.PositiveInfinity;

    /// <summary>Creates an estimator; pass the optimal value when it is known (e.g. 0 for a distance); capacity at most 1024.</summary>
    public ConvergenceRateEstimator(double? optimum = null, int capacity = 256)
    {
        // The fit works on stack buffers of this size: keep it small.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1024);
        _optimum = optimum;
        _points = new DecimatedReservoir(capacity);
    }

    /// <summary>Finite points accepted so far.</summary>
    public long Count => _count;

    /// <summary>Feeds one loss point; non-finite values and steps not after the previous one are ignored.</summary>
    public void Observe(long step, double value)
    {
        if ((_count > 0 && step <= _lastStep) || !double.IsFinite(value))
        {
            return;
        }

        _lastStep = step;
        _count++;
        _min = Math.Min(_min, value);
        _points.Add(step, value);
    }

    /// <summary>Fits the rate models to the points seen so far (O(capacity·grid), no per-point state change).</summary>
    public ConvergenceRate Estimate()
    {
        var n = _points.Count;
        if (n < 5)
        {
            return ConvergenceRate.Unknown;
        }

        Span<double> t = stackalloc double[n];
        Span<double> f = stackalloc double[n];
        var steps = _points.Steps;
        var origin = steps[0] >= 1 ? 0 : steps[0] - 1;
        for (var i = 0; i < n; i++)
        {
            t[i] = steps[i] - origin;
            f[i] = _points.Values[i];
        }

        if (_optimum is double known)
        {
            return RateFit.Classify(t, f, known).ToRate();
        }

        // Using the lowest value as f* bends the tail of log e; drop the points within 1000× of
        // the smallest gap. When the series converged to rounding (the smallest gap is 1e-8 of
        // the range or less: typical of superlinear methods) that choice is the right one.
        var gap = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var v in f)
        {
            max = Math.Max(max, v);
            if (v > _min)
            {
                gap = Math.Min(gap, v - _min);
            }
        }

        var rounding = gap <= 1e-8 * (max - _min);
        var best = RateFit.Classify(t, f, _min, double.IsFinite(gap) ? 1e3 * gap : 0, allowFaster: rounding);
        if (rounding)
        {
            return best.ToRate();
        }

        foreach (var candidate in (ReadOnlySpan<double>)[RateFit.PowerFloor(t, f, _min), RateFit.ExponentialFloor(t, f, _min), Aitken(f, _min)])
        {
            if (double.IsFinite(candidate))
            {
                // A fit read from the error's tail ratios (the seed's definitions) beats a curve fit over the whole run.
                var fit = RateFit.Classify(t, f, candidate, allowFaster: false);
                if ((fit.FromTail && !best.FromTail) || (fit.FromTail == best.FromTail && fit.Score > best.Score + 1e-9))
                {
                    best = fit;
                }
            }
        }

        return best.ToRate();
    }

    // Aitken's Δ² extrapolation of the last three points: the limit of a linearly converging sequence (NaN when the last
    // differences do not shrink geometrically, or when it lands above the lowest value).
    private static double Aitken(ReadOnlySpan<double> f, double min)
    {
        var n = f.Length;
        if (n < 3)
        {
            return double.NaN;
        }

        double d1 = f[n - 2] - f[n - 3],
            d2 = f[n - 1] - f[n - 2];
        var curvature = d2 - d1;
        if (d1 == 0 || d2 / d1 is <= 0 or >= 1 || curvature == 0)
        {
            return double.NaN;
        }

        var limit = f[n - 1] - (d2 * d2 / curvature);
        return limit < min ? limit : double.NaN;
    }
}
