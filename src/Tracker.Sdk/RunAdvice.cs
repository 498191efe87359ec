namespace Tracker.Sdk;

/// <summary>The latest early-stopping advice for a run, as sent back by the server with each ingest acknowledgement.</summary>
/// <param name="ShouldStop">True when training should stop now.</param>
/// <param name="Reason">Why, in plain words.</param>
/// <param name="BestStep">Step of the best monitored value (restore the checkpoint of that step).</param>
/// <param name="Pattern">Learning-curve label, e.g. <c>converging</c> or <c>overfitting</c>.</param>
public sealed record RunAdvice(bool ShouldStop, string Reason, long? BestStep, string? Pattern)
{
    /// <summary>The advice before the server said anything: continue.</summary>
    public static RunAdvice Continue { get; } = new(false, "continue", null, null);
}
