using System.Numerics;
using System.Numerics.Tensors;

namespace Tracker.Compute.Optimizers;

/// <summary>Plain gradient descent x ← x − η_t ∇f, with constant η_t = lr or Robbins–Monro η_t = lr / t.</summary>
public sealed class GradientDescent<T>(int dimension, double lr = 1e-3, bool robbinsMonro = false) : FirstOrderOptimizer<T>(dimension, lr)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether the step size decays as lr / t.</summary>
    public bool RobbinsMonro { get; } = robbinsMonro;

    /// <inheritdoc />
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradient, long step)
    {
        TensorPrimitives.MultiplyAdd(gradient, Cast(-LearningRateAt(step)), parameters, parameters);
    }

    /// <inheritdoc />
    protected override double LearningRateAt(long step) => RobbinsMonro ? LearningRate / step : LearningRate;
}
