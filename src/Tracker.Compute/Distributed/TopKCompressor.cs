namespace Tracker.Compute.Distributed;

/// <summary>Top-k sparsification: sends the k largest-magnitude coordinates of g + e; with error feedback e keeps the rest for the next step.</summary>
/// <remarks>Wire size: a 4-byte index and an 8-byte value per kept coordinate.</remarks>
internal sealed class TopKCompressor : GradientCompressor
{
    private readonly double[] _residual;
    private readonly double[] _keys;
    private readonly int[] _indices;

    /// <summary>Creates the compressor for a <paramref name="dimension"/>-vector keeping <paramref name="k"/> coordinates.</summary>
    public TopKCompressor(int dimension, int k, bool errorFeedback)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, dimension);
        K = k;
        ErrorFeedback = errorFeedback;
        _residual = new double[dimension];
        _keys = new double[dimension];
        _indices = new int[dimension];
    }

    /// <summary>Coordinates kept per message.</summary>
    public int K { get; }

    /// <summary>Whether the untransmitted mass is carried over.</summary>
    public bool ErrorFeedback { get; }

    /// <summary>The accumulated untransmitted mass e (all zeros without error feedback).</summary>
    public ReadOnlySpan<double> Residual => _residual;

    /// <summary>⌈fraction·d⌉ clamped to [1, d].</summary>
    public static int KeptCount(int dimension, double fraction) => Math.Clamp((int)Math.Ceiling(fraction * dimension), 1, dimension);

    /// <inheritdoc />
    public override long Compress(Span<double> gradient, Random rng)
    {
        if (gradient.Length != _residual.Length)
        {
            throw new ArgumentException($"Expected {_residual.Length} coordinates.", nameof(gradient));
        }

        for (var i = 0; i < gradient.Length; i++)
        {
            var a = ErrorFeedback ? gradient[i] + _residual[i] : gradient[i];
            gradient[i] = a;
            _keys[i] = -Math.Abs(a);
            _indices[i] = i;
        }

        _keys.AsSpan().Sort(_indices.AsSpan());
        _residual.AsSpan().Clear();
        for (var r = K; r < _indices.Length; r++)
        {
            var i = _indices[r];
            if (ErrorFeedback)
            {
                _residual[i] = gradient[i];
            }

            gradient[i] = 0;
        }

        return 12L * K;
    }
}
