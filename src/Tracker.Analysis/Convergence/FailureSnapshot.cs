namespace Tracker.Analysis.Convergence;

/// <summary>A failure-mode diagnosis in the API's shape.</summary>
/// <param name="Name">saddle_point_stall, saddle_point_escape, premature_convergence or oscillation_constant_lr.</param>
/// <param name="Active">Whether the condition holds now.</param>
/// <param name="Step">The step at which it was last detected.</param>
/// <param name="Description">What was seen and what to do, in plain words.</param>
/// <param name="Evidence">The named numbers used.</param>
public sealed record FailureSnapshot(string Name, bool Active, long? Step, string Description, IReadOnlyDictionary<string, double> Evidence);
