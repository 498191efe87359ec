namespace Tracker.Compute.Problems;

/// <summary>Rosenbrock's valley f(x, y) = (a − x)² + b (y − x²)², minimum at (a, a²), started at (−1.2, 1).</summary>
internal sealed class RosenbrockProblem(double a = 1, double b = 100, double startX = -1.2, double startY = 1) : ReferenceProblem, IHessianObjective
{
    /// <inheritdoc />
    public override int Dimension => 2;

    /// <summary>f* = 0 at (a, a²).</summary>
    public override double? OptimalLoss => 0;

    /// <summary>‖(x, y) − (a, a²)‖.</summary>
    public override double DistanceToOptimum(ReadOnlySpan<double> x) => Math.Sqrt(((x[0] - a) * (x[0] - a)) + ((x[1] - (a * a)) * (x[1] - (a * a))));

    /// <inheritdoc />
    public override void InitialPoint(Span<double> x, Random rng)
    {
        x[0] = startX;
        x[1] = startY;
    }

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        var u = a - x[0];
        var v = x[1] - (x[0] * x[0]);
        gradient[0] = (-2 * u) - (4 * b * v * x[0]);
        gradient[1] = 2 * b * v;
        return (u * u) + (b * v * v);
    }

    /// <inheritdoc />
    public override double Loss(ReadOnlySpan<double> x)
    {
        var u = a - x[0];
        var v = x[1] - (x[0] * x[0]);
        return (u * u) + (b * v * v);
    }

    /// <inheritdoc />
    public void Hessian(ReadOnlySpan<double> x, Span<double> hessian)
    {
        hessian[0] = 2 - (4 * b * (x[1] - (x[0] * x[0]))) + (8 * b * x[0] * x[0]);
        hessian[1] = -4 * b * x[0];
        hessian[2] = hessian[1];
        hessian[3] = 2 * b;
    }
}
