using System.Numerics;
using System.Numerics.Tensors;

namespace Tracker.Compute.Optimizers;

/// <summary><c>torch.optim.RMSprop</c>: smoothing α, eps outside the root, optional centering and momentum.</summary>
public sealed class RmsProp<T> : FirstOrderOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _squareAvg;
    private readonly T[] _gradAvg;
    private readonly T[] _momentumBuffer;
    private readonly T[] _decayed;
    private readonly T[] _scratch;

    /// <summary>Creates RMSprop with PyTorch's defaults (lr 1e-2, alpha 0.99, eps 1e-8).</summary>
    public RmsProp(int dimension, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(dimension, lr)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(alpha);
        ArgumentOutOfRangeException.ThrowIfNegative(eps);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        Alpha = alpha;
        Eps = eps;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
        _squareAvg = new T[dimension];
        _gradAvg = centered ? new T[dimension] : [];
        _momentumBuffer = momentum > 0 ? new T[dimension] : [];
        _decayed = weightDecay != 0 ? new T[dimension] : [];
        _scratch = new T[dimension];
    }

    /// <summary>Smoothing constant α of the squared-gradient average.</summary>
    public double Alpha { get; }

    /// <summary>ε added to the root.</summary>
    public double Eps { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Whether the variance estimate subtracts the squared mean gradient.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradient, long step)
    {
        var g = gradient;
        if (WeightDecay != 0)
        {
            TensorPrimitives.MultiplyAdd(parameters, Cast(WeightDecay), gradient, _decayed);
            g = _decayed;
        }

        // square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
        TensorPrimitives.Multiply(_squareAvg, Cast(Alpha), _squareAvg);
        TensorPrimitives.Multiply(g, g, _scratch);
        TensorPrimitives.MultiplyAdd(_scratch, Cast(1 - Alpha), _squareAvg, _squareAvg);
        if (Centered)
        {
            // grad_avg.lerp_(grad, 1 - alpha); avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
            TensorPrimitives.Lerp(_gradAvg, g, Cast(1 - Alpha), _gradAvg);
            TensorPrimitives.Multiply(_gradAvg, _gradAvg, _scratch);
            TensorPrimitives.Subtract(_squareAvg, _scratch, _scratch);
            TensorPrimitives.Sqrt(_scratch, _scratch);
        }
        else
        {
            TensorPrimitives.Sqrt(_squareAvg, _scratch);
        }

        TensorPrimitives.Add(_scratch, Cast(Eps), _scratch);
        TensorPrimitives.Divide(g, _scratch, _scratch);
        if (Momentum > 0)
        {
            // buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
            TensorPrimitives.MultiplyAdd(_momentumBuffer, Cast(Momentum), _scratch, _momentumBuffer);
            TensorPrimitives.MultiplyAdd(_momentumBuffer, Cast(-LearningRate), parameters, parameters);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(_scratch, Cast(-LearningRate), parameters, parameters);
        }
    }
}
