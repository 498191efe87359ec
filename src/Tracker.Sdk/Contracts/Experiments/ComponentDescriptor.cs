namespace Tracker.Sdk.Contracts;

/// <summary>A solver, problem or schedule in the catalog with its parameters.</summary>
/// <param name="Name">Name used in an experiment spec.</param>
/// <param name="Description">One line for the UI.</param>
/// <param name="Parameters">Its parameters with types, ranges and defaults.</param>
/// <param name="Compatible">For classic solvers: the problems (data sets) they accept; null means any differentiable problem.</param>
/// <param name="Convex">For problems: whether the training objective is convex in the parameters (null for solvers, schedules and initializers).</param>
public sealed record ComponentDescriptor(
    string Name,
    string Description,
    IReadOnlyList<ParameterDescriptor> Parameters,
    IReadOnlyList<string>? Compatible = null,
    bool? Convex = null
);
