namespace Tracker.Server.Experiments;

/// <summary>The states of a hosted experiment's job (stored as these strings).</summary>
internal static class ExperimentJobState
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
