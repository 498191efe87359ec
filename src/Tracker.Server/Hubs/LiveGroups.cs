namespace Tracker.Server.Hubs;

/// <summary>SignalR group names of the live hub.</summary>
internal static class LiveGroups
{
    public static string Run(string runId) => "run:" + runId;

    public static string Project(string project) => "project:" + project;
}
