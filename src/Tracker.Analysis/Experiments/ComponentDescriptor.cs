namespace Tracker.Analysis.Experiments;

/// <summary>A solver, problem or schedule in the catalog with its parameters.</summary>
/// <param name="Name">Name used in an experiment spec.</param>
/// <param name="Description">One line for the UI.</param>
/// <param name="Parameters">Its parameters with types, ranges and defaults.</param>
/// <param name="Compatible">For classic solvers: the problems (data sets) they accept; null means any differentiable problem.</param>
public sealed record ComponentDescriptor(string Name, string Description, IReadOnlyList<ParameterDescriptor> Parameters, IReadOnlyList<string>? Compatible = null);
