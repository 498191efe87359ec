using Tracker.Analysis.Initialization;

namespace Tracker.Analysis.Problems;

/// <summary>f(x, y) = x² − y² + q y⁴: a saddle at the origin, minima at (0, ±1/√(2q)); y = 0 is the saddle's stable manifold.</summary>
/// <remarks>With <c>gradientNoise</c> &gt; 0 each gradient gets N(0, σ²) noise, which lets gradient descent leave the manifold.</remarks>
public sealed class SaddleProblem(double quartic = 0.25, double startX = 1, double startY = 0, double gradientNoise = 0) : ReferenceProblem, IHessianObjective
{
    private Random? _noise;

    /// <inheritdoc />
    public override int Dimension => 2;

    /// <inheritdoc />
    public override bool IsStochastic => gradientNoise > 0;

    /// <inheritdoc />
    public override void InitialPoint(Span<double> x, Random rng)
    {
        x[0] = startX;
        x[1] = startY;
        _noise = new Random(rng.Next());
    }

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient[0] = 2 * x[0];
        gradient[1] = (-2 * x[1]) + (4 * quartic * x[1] * x[1] * x[1]);
        if (gradientNoise > 0 && _noise is not null)
        {
            gradient[0] += gradientNoise * Gaussian.Next(_noise);
            gradient[1] += gradientNoise * Gaussian.Next(_noise);
        }

        return Loss(x);
    }

    /// <inheritdoc />
    public override double Loss(ReadOnlySpan<double> x)
    {
        var y2 = x[1] * x[1];
        return (x[0] * x[0]) - y2 + (quartic * y2 * y2);
    }

    /// <inheritdoc />
    public void Hessian(ReadOnlySpan<double> x, Span<double> hessian)
    {
        hessian[0] = 2;
        hessian[1] = 0;
        hessian[2] = 0;
        hessian[3] = -2 + (12 * quartic * x[1] * x[1]);
    }
}
