namespace Tracker.Compute.Distributed;

/// <summary>One worker's gradient encoder: replaces the gradient in place by what the server decodes and reports the bytes sent.</summary>
internal abstract class GradientCompressor
{
    /// <summary>Compresses <paramref name="gradient"/> in place (to its decoded value) and returns the bytes on the wire.</summary>
    public abstract long Compress(Span<double> gradient, Random rng);

    /// <summary>A compressor for one worker of a <paramref name="dimension"/>-parameter model.</summary>
    public static GradientCompressor Create(CompressionSettings settings, int dimension)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Kind switch
        {
            CompressionKind.Qsgd => new QsgdCompressor(settings.Levels),
            CompressionKind.TopK => new TopKCompressor(dimension, TopKCompressor.KeptCount(dimension, settings.KFraction), settings.ErrorFeedback),
            _ => new DenseCompressor(),
        };
    }
}
