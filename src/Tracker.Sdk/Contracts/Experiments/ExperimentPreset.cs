namespace Tracker.Sdk.Contracts;

/// <summary>A named, ready-to-run experiment from the gallery.</summary>
/// <param name="Name">Preset name, e.g. <c>lr-too-high</c>.</param>
/// <param name="Description">What it demonstrates.</param>
/// <param name="Spec">The experiment.</param>
/// <param name="Expected">The verdicts theory predicts for it (asserted by the verdict-table test, listed in docs/analysis-verdicts.md).</param>
public sealed record ExperimentPreset(string Name, string Description, ExperimentSpec Spec, PresetExpectation Expected);
