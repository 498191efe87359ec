namespace Tracker.Analysis.Convergence;

/// <summary>The gradient health of one layer (or of the total norm).</summary>
/// <param name="Layer">The layer name: the series name without the prefix.</param>
/// <param name="Depth">Order of first appearance among layers (0 = earliest); −1 for the total norm.</param>
/// <param name="Norm">The smoothed norm (geometric EMA).</param>
/// <param name="Last">The last raw value.</param>
/// <param name="Status">This layer's status.</param>
public sealed record LayerGradient(string Layer, int Depth, double Norm, double Last, GradientStatus Status);
