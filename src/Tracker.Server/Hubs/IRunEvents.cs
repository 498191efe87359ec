using Tracker.Sdk.Contracts;

namespace Tracker.Server.Hubs;

/// <summary>Where the server reports run changes that live dashboards show at once (state changes, verdicts).
/// Called after the change committed; never throws.</summary>
internal interface IRunEvents
{
    /// <summary>A run changed state; <paramref name="from"/> is null for a new run; <paramref name="project"/> is looked up when null.</summary>
    ValueTask StateChangedAsync(string runId, string? project, RunState? from, RunState to, CancellationToken cancellationToken);

    /// <summary>A run event other than a state change (kind <c>verdict</c> for analysis verdicts).</summary>
    ValueTask EventAsync(string runId, string? project, string kind, string? message, CancellationToken cancellationToken);
}
