namespace Tracker.Analysis.Convergence;

/// <summary>The learning-curve verdict in the API's shape.</summary>
/// <param name="Label">The pattern label, e.g. <c>overfitting</c>.</param>
/// <param name="Confidence">Confidence in [0, 1].</param>
/// <param name="Evidence">The named numbers used (finite ones only).</param>
/// <param name="Action">The recommended action.</param>
public sealed record PatternSnapshot(string Label, double Confidence, IReadOnlyDictionary<string, double> Evidence, string Action);
