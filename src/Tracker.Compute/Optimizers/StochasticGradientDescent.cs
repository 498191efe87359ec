using System.Numerics;
using System.Numerics.Tensors;

namespace Tracker.Compute.Optimizers;

/// <summary><c>torch.optim.SGD</c>: momentum, dampening, Nesterov and (coupled) weight decay.</summary>
public sealed class StochasticGradientDescent<T> : FirstOrderOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _momentumBuffer;
    private readonly T[] _direction;

    /// <summary>Creates the optimizer with PyTorch's defaults (lr 1e-3, no momentum).</summary>
    public StochasticGradientDescent(int dimension, double lr = 1e-3, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(dimension, lr)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening.", nameof(nesterov));
        }

        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _momentumBuffer = momentum != 0 ? new T[dimension] : [];
        _direction = new T[dimension];
    }

    /// <summary>Momentum factor μ.</summary>
    public double Momentum { get; }

    /// <summary>Dampening τ applied to the gradient after the first step.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradient, long step)
    {
        var d = gradient;
        if (WeightDecay != 0)
        {
            TensorPrimitives.MultiplyAdd(parameters, Cast(WeightDecay), gradient, _direction);
            d = _direction;
        }

        if (Momentum != 0)
        {
            if (step == 1)
            {
                d.CopyTo(_momentumBuffer);
            }
            else
            {
                TensorPrimitives.Multiply(_momentumBuffer, Cast(Momentum), _momentumBuffer);
                TensorPrimitives.MultiplyAdd(d, Cast(1 - Dampening), _momentumBuffer, _momentumBuffer);
            }

            if (Nesterov)
            {
                TensorPrimitives.MultiplyAdd(_momentumBuffer, Cast(Momentum), d, _direction);
                d = _direction;
            }
            else
            {
                d = _momentumBuffer;
            }
        }

        TensorPrimitives.MultiplyAdd(d, Cast(-LearningRate), parameters, parameters);
    }
}
