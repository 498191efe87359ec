namespace Tracker.Compute.Problems;

/// <summary>f(x) = ½ Σ λᵢ xᵢ² with eigenvalues spread geometrically from 1 to the condition number κ.</summary>
internal sealed class QuadraticProblem : ReferenceProblem, IHessianObjective
{
    private readonly double[] _eigenvalues;
    private readonly double _start;

    /// <summary>Creates a <paramref name="dimension"/>-dimensional quadratic with condition number <paramref name="conditionNumber"/>.</summary>
    public QuadraticProblem(int dimension = 2, double conditionNumber = 10, double start = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(conditionNumber, 1);
        _eigenvalues = new double[dimension];
        for (var i = 0; i < dimension; i++)
        {
            _eigenvalues[i] = dimension == 1 ? 1 : Math.Pow(conditionNumber, (double)i / (dimension - 1));
        }

        _start = start;
    }

    /// <summary>The Hessian's eigenvalues λᵢ (smallest μ = 1, largest L = κ).</summary>
    public ReadOnlySpan<double> Eigenvalues => _eigenvalues;

    /// <inheritdoc />
    public override int Dimension => _eigenvalues.Length;

    /// <summary>f* = 0 at x* = 0.</summary>
    public override double? OptimalLoss => 0;

    /// <summary>‖x‖: the minimizer is the origin.</summary>
    public override double DistanceToOptimum(ReadOnlySpan<double> x) => System.Numerics.Tensors.TensorPrimitives.Norm(x);

    /// <inheritdoc />
    public override void InitialPoint(Span<double> x, Random rng) => x.Fill(_start);

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        var f = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            gradient[i] = _eigenvalues[i] * x[i];
            f += 0.5 * _eigenvalues[i] * x[i] * x[i];
        }

        return f;
    }

    /// <inheritdoc />
    public override double Loss(ReadOnlySpan<double> x)
    {
        var f = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            f += 0.5 * _eigenvalues[i] * x[i] * x[i];
        }

        return f;
    }

    /// <inheritdoc />
    public void Hessian(ReadOnlySpan<double> x, Span<double> hessian)
    {
        var n = Dimension;
        hessian[..(n * n)].Clear();
        for (var i = 0; i < n; i++)
        {
            hessian[(i * n) + i] = _eigenvalues[i];
        }
    }
}
