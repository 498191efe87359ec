using Microsoft.AspNetCore.SignalR;
using Tracker.Sdk.Contracts;
using Tracker.Server.Runs;

namespace Tracker.Server.Hubs;

/// <summary>Pushes run changes to the run's and the project's subscribers.</summary>
internal sealed partial class HubRunEvents(
    IHubContext<RunsHub> hub,
    RunProjectLookup runs,
    TimeProvider time,
    Telemetry.TrackerMetrics metrics,
    ILogger<HubRunEvents> logger
) : IRunEvents
{
    public async ValueTask StateChangedAsync(string runId, string? project, RunState? from, RunState to, CancellationToken cancellationToken)
    {
        try
        {
            project ??= await runs.FindAsync(runId, cancellationToken).ConfigureAwait(false);
            if (project is null)
                return;
            var message = new LiveRunState(runId, project, from, to, time.GetUtcNow().ToUnixTimeMilliseconds());
            await hub
                .Clients.Groups(LiveGroups.Run(runId), LiveGroups.Project(project))
                .SendAsync(LiveHub.State, message, cancellationToken)
                .ConfigureAwait(false);
            metrics.Pushed("state");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPushFailed(logger, runId, e);
        }
    }

    public async ValueTask EventAsync(string runId, string? project, string kind, string? message, CancellationToken cancellationToken)
    {
        try
        {
            project ??= await runs.FindAsync(runId, cancellationToken).ConfigureAwait(false);
            if (project is null)
                return;
            var live = new LiveRunEvent(runId, project, kind, message, time.GetUtcNow().ToUnixTimeMilliseconds());
            await hub
                .Clients.Groups(LiveGroups.Run(runId), LiveGroups.Project(project))
                .SendAsync(LiveHub.Event, live, cancellationToken)
                .ConfigureAwait(false);
            metrics.Pushed("event");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPushFailed(logger, runId, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live push for run {RunId} failed")]
    private static partial void LogPushFailed(ILogger logger, string runId, Exception exception);
}
