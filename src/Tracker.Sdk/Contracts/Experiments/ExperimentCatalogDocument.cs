namespace Tracker.Sdk.Contracts;

/// <summary>The serializable catalog (<c>GET /api/v1/experiments/catalog</c>).</summary>
/// <param name="Solvers">Optimizers and classic algorithms.</param>
/// <param name="Problems">Objectives and data-set problems.</param>
/// <param name="Schedules">Learning-rate schedules.</param>
/// <param name="Clip">Clipping options.</param>
/// <param name="Presets">Named experiments.</param>
/// <param name="Initializers">Weight initializations for network problems (the spec's <c>init</c>).</param>
public sealed record ExperimentCatalogDocument(
    IReadOnlyList<ComponentDescriptor> Solvers,
    IReadOnlyList<ComponentDescriptor> Problems,
    IReadOnlyList<ComponentDescriptor> Schedules,
    IReadOnlyList<ParameterDescriptor> Clip,
    IReadOnlyList<ExperimentPreset> Presets,
    IReadOnlyList<ComponentDescriptor> Initializers
);
