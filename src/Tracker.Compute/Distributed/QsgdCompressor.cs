using System.Numerics;
using System.Numerics.Tensors;

namespace Tracker.Compute.Distributed;

/// <summary>QSGD (Alistarh et al. 2017): qᵢ = ‖g‖·sign(gᵢ)·ℓᵢ/s with ℓᵢ ∈ {⌊s|gᵢ|/‖g‖⌋, that + 1} drawn so that E[q] = g.</summary>
/// <remarks>Wire size: one sign bit and ⌈log₂(s+1)⌉ level bits per coordinate plus the 64-bit norm, rounded up to bytes (no Elias coding).</remarks>
internal sealed class QsgdCompressor : GradientCompressor
{
    /// <summary>Creates the quantizer with <paramref name="levels"/> = s ≥ 1.</summary>
    public QsgdCompressor(int levels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        Levels = levels;
    }

    /// <summary>s, the number of levels per sign.</summary>
    public int Levels { get; }

    /// <summary>Bytes for a <paramref name="dimension"/>-vector at <paramref name="levels"/> levels.</summary>
    public static long WireBytes(int dimension, int levels) => ((((long)dimension * (1 + BitOperations.Log2((uint)levels) + 1)) + 64) + 7) / 8;

    /// <inheritdoc />
    public override long Compress(Span<double> gradient, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var norm = TensorPrimitives.Norm<double>(gradient);
        if (norm > 0)
        {
            for (var i = 0; i < gradient.Length; i++)
            {
                var r = Math.Abs(gradient[i]) / norm * Levels;
                var level = Math.Floor(r);
                if (rng.NextDouble() < r - level)
                {
                    level++;
                }

                gradient[i] = Math.CopySign(norm * level / Levels, gradient[i]);
            }
        }

        return WireBytes(gradient.Length, Levels);
    }
}
