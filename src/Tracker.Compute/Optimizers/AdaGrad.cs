using System.Numerics;
using System.Numerics.Tensors;

namespace Tracker.Compute.Optimizers;

/// <summary><c>torch.optim.Adagrad</c>: lr decay, initial accumulator value, eps outside the root.</summary>
public sealed class AdaGrad<T> : FirstOrderOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _sum;
    private readonly T[] _decayed;
    private readonly T[] _scratch;

    /// <summary>Creates AdaGrad with PyTorch's defaults (lr 1e-2, eps 1e-10).</summary>
    public AdaGrad(int dimension, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0, double eps = 1e-10)
        : base(dimension, lr)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lrDecay);
        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        ArgumentOutOfRangeException.ThrowIfNegative(initialAccumulatorValue);
        ArgumentOutOfRangeException.ThrowIfNegative(eps);
        LrDecay = lrDecay;
        WeightDecay = weightDecay;
        Eps = eps;
        _sum = new T[dimension];
        _sum.AsSpan().Fill(Cast(initialAccumulatorValue));
        _decayed = weightDecay != 0 ? new T[dimension] : [];
        _scratch = new T[dimension];
    }

    /// <summary>Learning-rate decay: clr = lr / (1 + (t − 1)·lr_decay).</summary>
    public double LrDecay { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>ε added to √sum.</summary>
    public double Eps { get; }

    /// <inheritdoc />
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradient, long step)
    {
        var g = gradient;
        if (WeightDecay != 0)
        {
            TensorPrimitives.MultiplyAdd(parameters, Cast(WeightDecay), gradient, _decayed);
            g = _decayed;
        }

        var clr = LearningRateAt(step);
        TensorPrimitives.MultiplyAdd(g, g, _sum, _sum);
        TensorPrimitives.Sqrt(_sum, _scratch);
        TensorPrimitives.Add(_scratch, Cast(Eps), _scratch);
        TensorPrimitives.Divide(g, _scratch, _scratch);
        TensorPrimitives.MultiplyAdd(_scratch, Cast(-clr), parameters, parameters);
    }

    /// <inheritdoc />
    protected override double LearningRateAt(long step) => LearningRate / (1 + ((step - 1) * LrDecay));
}
