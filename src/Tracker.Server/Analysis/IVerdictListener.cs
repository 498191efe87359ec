using Tracker.Analysis.Convergence;

namespace Tracker.Server.Analysis;

/// <summary>Told when a run's verdict changed (after it was stored), e.g. to push it to dashboards.</summary>
internal interface IVerdictListener
{
    ValueTask OnVerdictChangedAsync(string runId, AnalysisSnapshot snapshot, IReadOnlyList<VerdictChange> changes, CancellationToken cancellationToken);
}
