namespace Tracker.Analysis.Convergence;

/// <summary>A gradient-health verdict: the overall status, the early/late ratio and every layer.</summary>
/// <param name="Status">The worst status over the layers and the network-level tests.</param>
/// <param name="EarlyToLateRatio">Geometric mean of the first third of layers' norms over that of the last third (NaN with fewer than two layers).</param>
/// <param name="Layers">Per-layer health in depth order, the total norm last.</param>
public sealed record GradientHealth(GradientStatus Status, double EarlyToLateRatio, IReadOnlyList<LayerGradient> Layers)
{
    /// <summary>The status as the snake_case word used by the API.</summary>
    public string StatusName => NameOf(Status);

    /// <summary>The snake_case word of a status.</summary>
    public static string NameOf(GradientStatus status) =>
        status switch
        {
            GradientStatus.Healthy => "healthy",
            GradientStatus.Vanishing => "vanishing",
            GradientStatus.Exploding => "exploding",
            GradientStatus.NonFinite => "non_finite",
            _ => "unknown",
        };

    /// <summary>The names of the layers whose status is not healthy.</summary>
    public IEnumerable<string> AffectedLayers => Layers.Where(l => l.Status is not GradientStatus.Healthy and not GradientStatus.Unknown).Select(l => l.Layer);
}
