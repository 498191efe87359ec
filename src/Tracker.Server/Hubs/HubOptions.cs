namespace Tracker.Server.Hubs;

/// <summary>The <c>Tracker:Hub</c> section: the live hub <c>/hubs/runs</c>.</summary>
public sealed class HubOptions
{
    /// <summary>How often the keys of open hub connections are checked against the database; a revoked (on another
    /// replica) or expired key's connections close within this time. Zero turns the check off.</summary>
    public TimeSpan KeyCheckInterval { get; set; } = TimeSpan.FromSeconds(2);
}
