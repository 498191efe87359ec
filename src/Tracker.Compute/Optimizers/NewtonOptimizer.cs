using System.Numerics.Tensors;
using Tracker.Compute.Compute;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Optimizers;

/// <summary>Newton's method: solve (H + λI) p = −g by Cholesky (λ grows until H + λI is positive definite), then step x ← x + t p.</summary>
/// <remarks>With <c>lineSearch</c> the step t starts at lr and halves until Armijo's condition f(x + tp) ≤ f + 10⁻⁴ t gᵀp holds.</remarks>
internal sealed class NewtonOptimizer
{
    private readonly double[] _gradient;
    private readonly double[] _hessian;
    private readonly double[] _direction;
    private readonly double[] _trial;
    private readonly double[] _trialGradient;

    /// <summary>Creates the optimizer for <paramref name="dimension"/> parameters.</summary>
    public NewtonOptimizer(int dimension, double lr = 1, double damping = 0, bool lineSearch = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lr);
        ArgumentOutOfRangeException.ThrowIfNegative(damping);
        Dimension = dimension;
        LearningRate = lr;
        Damping = damping;
        LineSearch = lineSearch;
        _gradient = new double[dimension];
        _hessian = new double[dimension * dimension];
        _direction = new double[dimension];
        _trial = new double[dimension];
        _trialGradient = new double[dimension];
    }

    /// <summary>Number of parameters.</summary>
    public int Dimension { get; }

    /// <summary>Step length multiplier (1 is the pure Newton step).</summary>
    public double LearningRate { get; set; }

    /// <summary>Levenberg-style damping λ added to the Hessian's diagonal.</summary>
    public double Damping { get; }

    /// <summary>Whether a backtracking Armijo line search picks the step length.</summary>
    public bool LineSearch { get; }

    /// <summary>The damping actually used by the last step (after any increase for definiteness).</summary>
    public double LastDamping { get; private set; }

    /// <summary>The step length t the last step applied (lr, or what the line search accepted).</summary>
    public double LastStepLength { get; private set; }

    /// <summary>Takes one Newton step on <paramref name="x"/>; returns f before the step. Cancellable inside the factorization.</summary>
    public double Step(Span<double> x, IHessianObjective objective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var n = Dimension;
        var f = objective.Evaluate(x, _gradient);
        var lambda = Damping;
        for (var attempt = 0; ; attempt++)
        {
            objective.Hessian(x, _hessian);
            for (var i = 0; i < n; i++)
            {
                _hessian[(i * n) + i] += lambda;
            }

            if (Cholesky.TryFactor(_hessian, n, cancellationToken))
            {
                break;
            }

            if (attempt > 60)
            {
                throw new InvalidOperationException("The damped Hessian did not become positive definite.");
            }

            lambda = Math.Max(2 * lambda, 1e-6);
        }

        LastDamping = lambda;
        TensorPrimitives.Negate(_gradient, _direction);
        Cholesky.Solve(_hessian, n, _direction);

        var t = LearningRate;
        if (LineSearch)
        {
            var slope = TensorPrimitives.Dot(_gradient, _direction);
            for (var k = 0; k < 50; k++)
            {
                TensorPrimitives.MultiplyAdd(_direction, t, x, _trial);
                if (objective.Evaluate(_trial, _trialGradient) <= f + (1e-4 * t * slope))
                {
                    break;
                }

                t *= 0.5;
            }
        }

        TensorPrimitives.MultiplyAdd(_direction, t, x, x);
        LastStepLength = t;
        return f;
    }
}
