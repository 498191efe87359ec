namespace Tracker.Analysis.Convergence;

/// <summary>The learning-curve verdict in the API's shape.</summary>
/// <param name="Label">The pattern label, e.g. <c>overfitting</c>.</param>
/// <param name="Confidence">Confidence in [0, 1].</param>
/// <param name="Evidence">The named numbers used (finite ones only).</param>
/// <param name="Action">The recommended action.</param>
/// <param name="Pending">The raw label of the latest evaluation while it waits to take effect (see <see cref="VerdictDebouncer"/>); null when it is <paramref name="Label"/>.</param>
public sealed record PatternSnapshot(string Label, double Confidence, IReadOnlyDictionary<string, double> Evidence, string Action, string? Pending = null);
