namespace Tracker.Analysis.Convergence;

/// <summary>One layer's gradient health in the API's shape.</summary>
/// <param name="Name">The layer (series name without <c>grad_norm/</c>).</param>
/// <param name="Depth">Order of first appearance; −1 for the total norm.</param>
/// <param name="Norm">Smoothed norm, or null.</param>
/// <param name="Last">Last raw value, or null when it was not finite.</param>
/// <param name="Status">healthy, vanishing, exploding, non_finite.</param>
public sealed record GradientLayerSnapshot(string Name, int Depth, double? Norm, double? Last, string Status);
