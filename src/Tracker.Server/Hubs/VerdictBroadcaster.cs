using Tracker.Analysis.Convergence;
using Tracker.Server.Analysis;

namespace Tracker.Server.Hubs;

/// <summary>Pushes stored verdict changes to live dashboards (which then refetch the run's analysis).</summary>
internal sealed class VerdictBroadcaster(IRunEvents runEvents) : IVerdictListener
{
    public async ValueTask OnVerdictChangedAsync(
        string runId,
        AnalysisSnapshot snapshot,
        IReadOnlyList<VerdictChange> changes,
        CancellationToken cancellationToken
    )
    {
        foreach (var change in changes)
        {
            await runEvents.EventAsync(runId, null, "verdict", $"{change.Kind}: {change.Message}", cancellationToken).ConfigureAwait(false);
        }
    }
}
