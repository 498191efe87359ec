namespace Tracker.Analysis.Convergence;

/// <summary>Gradient health in the API's shape.</summary>
/// <param name="Status">healthy, vanishing, exploding, non_finite or unknown.</param>
/// <param name="AffectedLayers">The layers that are not healthy.</param>
/// <param name="Layers">Every layer with its smoothed norm and status.</param>
/// <param name="EarlyToLateRatio">Early-layer over late-layer norm (null with fewer than two layers).</param>
public sealed record GradientSnapshot(
    string Status,
    IReadOnlyList<string> AffectedLayers,
    IReadOnlyList<GradientLayerSnapshot> Layers,
    double? EarlyToLateRatio
);
