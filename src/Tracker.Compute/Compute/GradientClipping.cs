using System.Numerics;
using System.Numerics.Tensors;

namespace Tracker.Compute.Compute;

/// <summary>Gradient clipping with <c>torch.nn.utils.clip_grad_norm_</c> / <c>clip_grad_value_</c> semantics.</summary>
internal static class GradientClipping
{
    /// <summary>Scales <paramref name="gradient"/> by min(1, max_norm / (total + 1e-6)); returns the total 2-norm before clipping.</summary>
    public static double ClipByNorm<T>(Span<T> gradient, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var total = double.CreateTruncating(TensorPrimitives.Norm<T>(gradient));
        var coefficient = Math.Min(1.0, maxNorm / (total + 1e-6));
        if (coefficient < 1.0)
        {
            TensorPrimitives.Multiply(gradient, T.CreateTruncating(coefficient), gradient);
        }

        return total;
    }

    /// <summary>Clamps every entry to [−clip, clip].</summary>
    public static void ClipByValue<T>(Span<T> gradient, double clipValue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = T.CreateTruncating(clipValue);
        TensorPrimitives.Min(gradient, c, gradient);
        TensorPrimitives.Max(gradient, -c, gradient);
    }
}
