namespace Tracker.Compute.Classic;

/// <summary>How EM's first responsibilities are chosen (scikit-learn's <c>init_params</c>).</summary>
public enum GaussianMixtureInit
{
    /// <summary>One-hot responsibilities from a k-means fit (scikit-learn's default).</summary>
    KMeans,

    /// <summary>One-hot responsibilities from the nearest k-means++ seed.</summary>
    KMeansPlusPlus,

    /// <summary>Uniform random responsibilities, normalized per row.</summary>
    Random,
}
