namespace Tracker.Analysis.Convergence;

/// <summary>Series naming and thresholds of the <see cref="GradientHealthMonitor"/>.</summary>
public sealed record GradientHealthOptions
{
    /// <summary>Prefix of the per-layer series (default <c>grad_norm/</c>).</summary>
    public string Prefix { get; init; } = "grad_norm/";

    /// <summary>The whole-network series under the prefix, not a layer (default <c>grad_norm/total</c>).</summary>
    public string TotalSeries { get; init; } = "grad_norm/total";

    /// <summary>A smoothed norm below this is vanishing (default 1e-7).</summary>
    public double VanishingFloor { get; init; } = 1e-7;

    /// <summary>Early-to-late geometric-mean ratio below which early layers are vanishing (default 1e-2: two orders of magnitude lost between the last third of the layers and the first).</summary>
    public double VanishingRatio { get; init; } = 1e-2;

    /// <summary>A smoothed norm above this is exploding (default 1e4).</summary>
    public double ExplodingCeiling { get; init; } = 1e4;

    /// <summary>Growth of the smoothed norm over its minimum that counts as exploding (default 1e3).</summary>
    public double GrowthFactor { get; init; } = 1e3;

    /// <summary>Growth over its minimum at which a norm is exploding while the loss diverges (default 10).</summary>
    public double DivergingGrowthFactor { get; init; } = 10;

    /// <summary>Points a layer needs before growth is judged (default 10).</summary>
    public int WarmUp { get; init; } = 10;

    /// <summary>EMA weight applied to the logarithm of the norm (default 0.9).</summary>
    public double SmoothingWeight { get; init; } = 0.9;
}
