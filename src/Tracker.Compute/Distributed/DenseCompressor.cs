namespace Tracker.Compute.Distributed;

/// <summary>No compression: the gradient travels as dense doubles.</summary>
internal sealed class DenseCompressor : GradientCompressor
{
    /// <inheritdoc />
    public override long Compress(Span<double> gradient, Random rng) => 8L * gradient.Length;
}
