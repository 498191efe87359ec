using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tracker.Analysis.Convergence;

/// <summary>The rate models fitted to one choice of optimum f*; see <see cref="ConvergenceRateEstimator"/>.</summary>
internal readonly record struct RateFit(
    ConvergenceRateClass Class,
    double Score,
    double Confidence,
    double FStar,
    double First,
    double Second,
    bool FromTail = false
)
{
    private const int GridSize = 80;

    public ConvergenceRate ToRate()
    {
        var constants = new Dictionary<string, double> { ["f_star"] = FStar };
        switch (Class)
        {
            case ConvergenceRateClass.Sublinear:
                constants["p"] = First;
                constants["A"] = Second;
                break;
            case ConvergenceRateClass.Linear:
                constants["c"] = First;
                constants["A"] = Second;
                break;
            case ConvergenceRateClass.Superlinear:
                constants["order"] = First;
                constants["ratio"] = Second;
                break;
            case ConvergenceRateClass.Quadratic:
                constants["order"] = First;
                constants["M"] = Second;
                break;
            default:
                return ConvergenceRate.Unknown;
        }

        // JSON has no NaN/Infinity: an overflowing constant (A for huge losses) is left out.
        foreach (var key in constants.Keys.ToArray())
        {
            if (!double.IsFinite(constants[key]))
            {
                constants.Remove(key);
            }
        }

        return new ConvergenceRate(Class, constants, double.IsFinite(Confidence) ? Math.Clamp(Confidence, 0, 1) : 0);
    }

    /// <summary>Classifies the rate of f − <paramref name="fStar"/>. With <paramref name="allowFaster"/> false (f* only
    /// estimated from the series itself) the tail ratio test may only find linear convergence: an estimated floor sitting at
    /// the last values fakes ratios that go to zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RateFit Classify(ReadOnlySpan<double> t, ReadOnlySpan<double> f, double fStar, double trimBelow = 0, bool allowFaster = true)
    {
        // A method that terminated keeps logging its last value: those repeats say nothing about the rate.
        var n = t.Length;
        while (n > 4 && Math.Abs(f[n - 1] - f[n - 2]) <= 1e-12 * Math.Max(Math.Abs(f[n - 1]), 1e-300))
        {
            n--;
        }

        t = t[..n];
        f = f[..n];
        Span<double> te = stackalloc double[n];
        Span<double> lt = stackalloc double[n];
        Span<double> y = stackalloc double[n];
        Span<int> index = stackalloc int[n];
        var m = 0;
        for (var k = 0; k < n; k++)
        {
            var e = f[k] - fStar;
            var floor = 8e-16 * Math.Max(Math.Abs(f[k]), Math.Abs(fStar));
            if (e > floor && e > 0 && e >= trimBelow)
            {
                te[m] = t[k];
                lt[m] = Math.Log(t[k]);
                y[m] = Math.Log(e);
                index[m] = k;
                m++;
            }
        }

        var unknown = new RateFit(ConvergenceRateClass.Unknown, 0, 0, fStar, double.NaN, double.NaN);
        if (m < 4)
        {
            return unknown;
        }

        te = te[..m];
        lt = lt[..m];
        y = y[..m];
        var lin = LineFit.Of(te, y);
        var sub = LineFit.Of(lt, y);
        var linDown = lin.Slope < 0;
        var subDown = sub.Slope < 0;
        if (!linDown && !subDown)
        {
            return unknown;
        }

        var score = Math.Max(linDown ? lin.RSquared : 0, subDown ? sub.RSquared : 0);

        // Faster than linear can only be claimed for an error that fell by at least two orders of magnitude (a noisy
        // stochastic loss that halved shows ratios that wander, not ratios that go to zero).
        var decades = (RateTail.Max(y) - RateTail.Min(y)) / Math.Log(10);
        if (decades >= 3 && RateTail.Order(y, index, allowFaster, out var tailClass, out var tailOrder, out var tailRatio))
        {
            return new RateFit(tailClass, score, 0.9, fStar, tailOrder, tailRatio, FromTail: true);
        }

        // Order from consecutive pairs, and the trend of the log ratio log(e_{k+1}/e_k).
        Span<double> px = stackalloc double[m];
        Span<double> py = stackalloc double[m];
        Span<double> rt = stackalloc double[m];
        var pairs = 0;
        double meanRatio = 0;
        for (var j = 0; j + 1 < m; j++)
        {
            if (index[j + 1] == index[j] + 1)
            {
                px[pairs] = y[j];
                py[pairs] = y[j + 1];
                rt[pairs] = te[j];
                meanRatio += y[j + 1] - y[j];
                pairs++;
            }
        }

        if (pairs >= 3 && decades >= 2)
        {
            meanRatio /= pairs;
            var order = LineFit.Of(px[..pairs], py[..pairs]);
            if (order.RSquared > 0.9 && order.Slope >= 1.8 && meanRatio < 0)
            {
                var q = order.Slope;
                return q < 2.6
                    ? new RateFit(ConvergenceRateClass.Quadratic, score, order.RSquared * (1 - (Math.Abs(q - 2) / 1.2)), fStar, q, Math.Exp(order.Intercept))
                    : new RateFit(ConvergenceRateClass.Superlinear, score, order.RSquared, fStar, q, Math.Exp(py[pairs - 1] - px[pairs - 1]));
            }

            Span<double> ratio = stackalloc double[pairs];
            for (var j = 0; j < pairs; j++)
            {
                ratio[j] = py[j] - px[j];
            }

            var trend = LineFit.Of(rt[..pairs], ratio);
            var change = trend.Slope * (rt[pairs - 1] - rt[0]);
            if (pairs >= 4 && meanRatio < 0 && change / Math.Abs(meanRatio) < -0.5 && trend.RSquared > 0.5)
            {
                var strength = Math.Min(1, Math.Abs(change / meanRatio));
                return new RateFit(ConvergenceRateClass.Superlinear, score, trend.RSquared * strength, fStar, order.Slope, Math.Exp(ratio[pairs - 1]));
            }
        }

        var margin = Math.Clamp(Math.Abs(lin.RSquared - sub.RSquared) / 0.02, 0, 1);
        var enough = Math.Min(1.0, m / 10.0);
        var linear = linDown && (!subDown || lin.RSquared >= sub.RSquared);
        return linear
            ? new RateFit(
                ConvergenceRateClass.Linear,
                score,
                lin.RSquared * (0.5 + (0.5 * margin)) * enough,
                fStar,
                Math.Exp(lin.Slope),
                Math.Exp(lin.Intercept)
            )
            : new RateFit(ConvergenceRateClass.Sublinear, score, sub.RSquared * (0.5 + (0.5 * margin)) * enough, fStar, -sub.Slope, Math.Exp(sub.Intercept));
    }

    /// <summary>The floor f* of the best least-squares fit f = f* + A·t^(−p) with A &gt; 0, f* ≤ min (and f* ≥ 0 when min ≥ 0), or NaN.</summary>
    public static double PowerFloor(ReadOnlySpan<double> t, ReadOnlySpan<double> f, double min)
    {
        Span<double> lt = stackalloc double[t.Length];
        for (var i = 0; i < t.Length; i++)
        {
            lt[i] = Math.Log(t[i]);
        }

        return BestFloor(lt, f, min, 0.05, 4.0, logarithmic: false, negate: true);
    }

    /// <summary>The floor f* of the best least-squares fit f = f* + A·e^(−λt) with A &gt; 0 and f* ≤ min, or NaN.</summary>
    public static double ExponentialFloor(ReadOnlySpan<double> t, ReadOnlySpan<double> f, double min)
    {
        var span = t[^1] - t[0];
        if (span <= 0)
        {
            return double.NaN;
        }

        Span<double> u = stackalloc double[t.Length];
        for (var i = 0; i < t.Length; i++)
        {
            u[i] = (t[i] - t[0]) / span;
        }

        return BestFloor(u, f, min, 0.05, 500, logarithmic: true, negate: true);
    }

    // Grid over the rate r (x = exp(∓r·z), least squares f = a + b·x, b > 0, a ≤ min), then a
    // golden-section refinement between the grid neighbours of the best point; returns that a.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double BestFloor(ReadOnlySpan<double> z, ReadOnlySpan<double> f, double min, double from, double to, bool logarithmic, bool negate)
    {
        Span<double> x = stackalloc double[z.Length];
        double sign = negate ? -1 : 1;
        var bestSse = double.PositiveInfinity;
        var bestG = -1;
        for (var g = 0; g < GridSize; g++)
        {
            var sse = FloorResidual(z, f, min, sign * GridRate(g, from, to, logarithmic), x, out _);
            if (sse < bestSse)
            {
                bestSse = sse;
                bestG = g;
            }
        }

        if (bestG < 0)
        {
            return double.NaN;
        }

        var lo = GridRate(Math.Max(0, bestG - 1), from, to, logarithmic);
        var hi = GridRate(Math.Min(GridSize - 1, bestG + 1), from, to, logarithmic);
        var invPhi = (Math.Sqrt(5) - 1) / 2;
        var c = hi - (invPhi * (hi - lo));
        var d = lo + (invPhi * (hi - lo));
        var fc = FloorResidual(z, f, min, sign * c, x, out _);
        var fd = FloorResidual(z, f, min, sign * d, x, out _);
        for (var i = 0; i < 60 && hi - lo > 1e-12 * hi; i++)
        {
            if (fc <= fd)
            {
                hi = d;
                d = c;
                fd = fc;
                c = hi - (invPhi * (hi - lo));
                fc = FloorResidual(z, f, min, sign * c, x, out _);
            }
            else
            {
                lo = c;
                c = d;
                fc = fd;
                d = lo + (invPhi * (hi - lo));
                fd = FloorResidual(z, f, min, sign * d, x, out _);
            }
        }

        var best = FloorResidual(z, f, min, sign * (lo + hi) / 2, x, out var floor);
        if (best <= bestSse)
        {
            return floor;
        }

        FloorResidual(z, f, min, sign * GridRate(bestG, from, to, logarithmic), x, out floor);
        return floor;
    }

    private static double GridRate(int g, double from, double to, bool logarithmic)
    {
        var fraction = g / (double)(GridSize - 1);
        return logarithmic ? from * Math.Pow(to / from, fraction) : from + ((to - from) * fraction);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double FloorResidual(ReadOnlySpan<double> z, ReadOnlySpan<double> f, double min, double exponent, Span<double> x, out double floor)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var e = Vector256.Create(exponent);
            for (; i <= z.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                Vector256.Exp(e * Vector256.Create(z[i..])).CopyTo(x[i..]);
            }
        }

        for (; i < z.Length; i++)
        {
            x[i] = Math.Exp(exponent * z[i]);
        }

        var fit = LineFit.Of(x, f);
        floor = fit.Intercept;
        // f* cannot lie above the lowest value, nor below zero for a series that never went
        // negative (losses such as cross-entropy or MSE cannot converge to a negative value).
        // (A rounding-sized negative floor of an exact fit counts as zero.)
        if (min >= 0 && fit.Intercept < 0 && fit.Intercept > -1e-9 * Math.Abs(fit.Slope))
        {
            floor = 0;
        }

        if (!(fit.Slope > 0) || floor > min || (min >= 0 && floor < 0))
        {
            return double.PositiveInfinity;
        }

        return LineFit.Residual(x, f, fit).Sse;
    }
}
