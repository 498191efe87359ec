namespace Tracker.Analysis.Convergence;

/// <summary>The result of <see cref="RunAnalyzer.Evaluate"/>: the snapshot and what changed since the previous evaluation.</summary>
/// <param name="Snapshot">The current snapshot.</param>
/// <param name="Changes">Verdict changes to store as run events (empty when nothing changed).</param>
public sealed record AnalysisUpdate(AnalysisSnapshot Snapshot, IReadOnlyList<VerdictChange> Changes);
