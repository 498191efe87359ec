namespace Tracker.Sdk;

/// <summary>Where a run's points go (<c>TRACKER_MODE</c>).</summary>
public enum TrackerMode
{
    /// <summary>Sent to the server; spooled to disk while it is unreachable.</summary>
    Online,

    /// <summary>Written only to the local spool; upload later with <c>tracker sync</c>.</summary>
    Offline,

    /// <summary>Nothing is recorded; every call is a no-op.</summary>
    Disabled,
}
