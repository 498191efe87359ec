using System.Runtime.CompilerServices;

namespace Tracker.Analysis.Convergence;

/// <summary>An ordinary least-squares line y = intercept + slope·x with its R².</summary>
internal readonly record struct LineFit(double Slope, double Intercept, double RSquared, int Count)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static LineFit Of(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var n = Math.Min(x.Length, y.Length);
        if (n < 2)
        {
            return new LineFit(double.NaN, double.NaN, 0, n);
        }

        double mx = 0,
            my = 0;
        for (var i = 0; i < n; i++)
        {
            mx += x[i];
            my += y[i];
        }

        mx /= n;
        my /= n;
        double sxx = 0,
            sxy = 0,
            syy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }

        if (sxx <= 0)
        {
            return new LineFit(double.NaN, my, 0, n);
        }

        var slope = sxy / sxx;
        var r2 = syy > 0 ? Math.Clamp(sxy * sxy / (sxx * syy), 0, 1) : 1;
        return new LineFit(slope, my - (slope * mx), r2, n);
    }

    /// <summary>Least squares of y = a + b·x returning the sum of squared residuals and the fitted a.</summary>
    public static (double Sse, double Intercept) Residual(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => Residual(x, y, Of(x, y));

    /// <summary>The sum of squared residuals of y about an already fitted line (<paramref name="fit"/> = <see cref="Of"/>(x, y)), and its a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Sse, double Intercept) Residual(ReadOnlySpan<double> x, ReadOnlySpan<double> y, LineFit fit)
    {
        if (double.IsNaN(fit.Slope))
        {
            return (double.PositiveInfinity, fit.Intercept);
        }

        double sse = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var r = y[i] - fit.Intercept - (fit.Slope * x[i]);
            sse += r * r;
        }

        return (sse, fit.Intercept);
    }
}
