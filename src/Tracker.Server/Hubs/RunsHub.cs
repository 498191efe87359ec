using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Tracker.Server.Auth;
using Tracker.Server.Runs;

namespace Tracker.Server.Hubs;

/// <summary>The dashboard's live channel (<c>/hubs/runs</c>): subscribe to a run's points or a project's run summaries.
/// Authenticated with the same API key as the REST API (a browser's WebSocket sends it as <c>access_token</c>).</summary>
[Authorize(Policy = TrackerClaims.ReadPolicy)]
internal sealed class RunsHub(RunProjectLookup runs, LiveSubscriptions subscriptions, HubKeyConnections keys, Telemetry.TrackerMetrics metrics) : Hub
{
    public async Task SubscribeRun(string runId)
    {
        var project = await runs.FindAsync(runId, Context.ConnectionAborted) ?? throw new HubException($"Run '{runId}' does not exist.");
        CheckProject(project);
        await JoinAsync(LiveGroups.Run(runId));
    }

    public Task UnsubscribeRun(string runId) => LeaveAsync(LiveGroups.Run(runId));

    public async Task SubscribeProject(string project)
    {
        CheckProject(project);
        await JoinAsync(LiveGroups.Project(project));
    }

    public Task UnsubscribeProject(string project) => LeaveAsync(LiveGroups.Project(project));

    public override Task OnConnectedAsync()
    {
        metrics.HubConnected();
        if (KeyId is { } keyId)
            keys.Add(keyId, Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.HubDisconnected();
        if (KeyId is { } keyId)
            keys.Remove(keyId, Context.ConnectionId);
        subscriptions.RemoveConnection(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private string? KeyId => Context.User?.FindFirst(TrackerClaims.KeyId)?.Value;

    private void CheckProject(string project)
    {
        if (Context.User is not { } user || !user.CanAccessProject(project))
        {
            throw new HubException($"This key is bound to project '{Context.User?.BoundProject()}'.");
        }
    }

    private async Task JoinAsync(string group)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        subscriptions.Add(Context.ConnectionId, group);
    }

    private async Task LeaveAsync(string group)
    {
        subscriptions.Remove(Context.ConnectionId, group);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
    }
}
