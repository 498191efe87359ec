namespace Tracker.Analysis.Convergence;

/// <summary>One stopping criterion in the API's shape.</summary>
/// <param name="Name">e.g. <c>loss_plateau</c>.</param>
/// <param name="Met">Whether it holds now.</param>
/// <param name="Value">The tested quantity (null until computable).</param>
/// <param name="Threshold">The threshold.</param>
/// <param name="Series">The series it reads.</param>
public sealed record CriterionSnapshot(string Name, bool Met, double? Value, double Threshold, string Series);
