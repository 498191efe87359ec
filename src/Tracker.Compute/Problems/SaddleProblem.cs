using Tracker.Compute.Initialization;

namespace Tracker.Compute.Problems;

/// <summary>f(x, y) = x² − y² + q y⁴ + s y: with tilt s = 0 a saddle at the origin, minima at (0, ±1/√(2q)) with f* = −1/(4q), and y = 0 the saddle's stable manifold.</summary>
/// <remarks>
/// With <c>gradientNoise</c> &gt; 0 each gradient gets N(0, σ²) noise, which lets gradient descent leave the manifold.
/// A tilt s ≠ 0 makes the two minima unequal (the one on the side opposite to the sign of s is the global one), so where
/// gradient descent ends depends on where it starts; the minimizers are the outer roots of 4q y³ − 2y + s = 0.
/// </remarks>
internal sealed class SaddleProblem : ReferenceProblem, IHessianObjective
{
    private readonly double _quartic;
    private readonly double _startX;
    private readonly double _startY;
    private readonly double _gradientNoise;
    private readonly double _tilt;
    private readonly double[] _minimizers;
    private Random? _noise;

    /// <summary>Creates the problem; <paramref name="tilt"/> is the linear term s (0: the symmetric saddle).</summary>
    public SaddleProblem(double quartic = 0.25, double startX = 1, double startY = 0, double gradientNoise = 0, double tilt = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quartic);
        (_quartic, _startX, _startY, _gradientNoise, _tilt) = (quartic, startX, startY, gradientNoise, tilt);
        _minimizers = MinimizersOf(quartic, tilt);
    }

    /// <summary>The y-coordinates of the local minimizers (x = 0 at each), lowest first; one or two of them.</summary>
    public ReadOnlySpan<double> Minimizers => _minimizers;

    /// <inheritdoc />
    public override double? OptimalLoss => Loss([0, _minimizers[0]]);

    /// <summary>Distance to the nearest local minimizer (0, yᵢ).</summary>
    public override double DistanceToOptimum(ReadOnlySpan<double> x)
    {
        var best = double.PositiveInfinity;
        foreach (var y in _minimizers)
        {
            best = Math.Min(best, Math.Sqrt((x[0] * x[0]) + ((x[1] - y) * (x[1] - y))));
        }

        return best;
    }

    /// <inheritdoc />
    public override int Dimension => 2;

    /// <inheritdoc />
    public override bool IsStochastic => _gradientNoise > 0;

    /// <inheritdoc />
    public override void InitialPoint(Span<double> x, Random rng)
    {
        x[0] = _startX;
        x[1] = _startY;
        _noise = new Random(rng.Next());
    }

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient[0] = 2 * x[0];
        gradient[1] = (-2 * x[1]) + (4 * _quartic * x[1] * x[1] * x[1]) + _tilt;
        if (_gradientNoise > 0 && _noise is not null)
        {
            gradient[0] += _gradientNoise * Gaussian.Next(_noise);
            gradient[1] += _gradientNoise * Gaussian.Next(_noise);
        }

        return Loss(x);
    }

    /// <inheritdoc />
    public override double Loss(ReadOnlySpan<double> x)
    {
        var y2 = x[1] * x[1];
        return (x[0] * x[0]) - y2 + (_quartic * y2 * y2) + (_tilt * x[1]);
    }

    /// <inheritdoc />
    public void Hessian(ReadOnlySpan<double> x, Span<double> hessian)
    {
        hessian[0] = 2;
        hessian[1] = 0;
        hessian[2] = 0;
        hessian[3] = -2 + (12 * _quartic * x[1] * x[1]);
    }

    /// <summary>The outer roots of g(y) = 4q y³ − 2y + s (where g′ &gt; 0, i.e. |y| &gt; c = 1/√(6q)), by bisection on each side.</summary>
    private static double[] MinimizersOf(double q, double s)
    {
        var c = 1 / Math.Sqrt(6 * q);
        double G(double y) => (4 * q * y * y * y) - (2 * y) + s;
        var far = c + 2 + Math.Cbrt(Math.Abs(s) / q);
        var roots = new List<double>(2);
        if (G(-c) > 0)
        {
            roots.Add(Bisect(G, -far, -c));
        }

        if (G(c) < 0)
        {
            roots.Add(Bisect(G, c, far));
        }

        // G(−c) = 4c/3 + s and G(c) = s − 4c/3 cannot both fail: at least one minimizer exists.
        return [.. roots.OrderBy(y => (-(y * y)) + (q * y * y * y * y) + (s * y))];
    }

    /// <summary>The root of an increasing-through-zero <paramref name="g"/> in [lo, hi] with g(lo) ≤ 0 ≤ g(hi).</summary>
    private static double Bisect(Func<double, double> g, double lo, double hi)
    {
        for (var i = 0; i < 200 && hi - lo > 1e-15 * (1 + Math.Abs(lo)); i++)
        {
            var mid = 0.5 * (lo + hi);
            (lo, hi) = g(mid) <= 0 ? (mid, hi) : (lo, mid);
        }

        return 0.5 * (lo + hi);
    }
}
