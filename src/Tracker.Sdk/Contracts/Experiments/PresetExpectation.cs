namespace Tracker.Sdk.Contracts;

/// <summary>The verdicts that the seed and optimization theory predict for a preset, written down before any tuning.</summary>
/// <param name="Pattern">The learning-curve pattern label, e.g. <c>slow_progress</c>.</param>
/// <param name="Rate">The convergence-rate class (<c>sublinear</c>, <c>linear</c>, <c>superlinear</c>, <c>quadratic</c>, <c>unknown</c>), or null where theory predicts none (a stochastic run that settles in a noise band).</param>
/// <param name="Failures">The failure modes active at the end of the run (empty: none).</param>
/// <param name="Gradients">The gradient-health status (<c>healthy</c>, <c>vanishing</c>, <c>exploding</c>, <c>non_finite</c>, <c>unknown</c> when no gradient norm is logged).</param>
/// <param name="Why">The theory or seed table row behind the prediction.</param>
public sealed record PresetExpectation(string Pattern, string? Rate, IReadOnlyList<string> Failures, string Gradients, string Why);
