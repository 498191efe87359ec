namespace Tracker.Sdk;

/// <summary>The latest early-stopping advice for a run, as sent back by the server with each ingest acknowledgement.</summary>
/// <param name="ShouldStop">True when training should stop now.</param>
/// <param name="Reason">Why, in plain words.</param>
/// <param name="BestStep">Step of the best monitored value (restore the checkpoint of that step).</param>
/// <param name="Pattern">Learning-curve label, e.g. <c>healthy_convergence</c> or <c>overfitting</c>.</param>
/// <param name="Action">What to do now, in plain words: after a stop, "stop training …" (naming the step whose weights to
/// restore when the run config says <c>restore_best_weights</c>); otherwise the learning-curve pattern's action, e.g. "keep training".</param>
/// <param name="BestCheckpoint">With a stop advice: the artifact path of the stored checkpoint to restore (the best by the
/// advisor's monitor, kept by <c>tracker.checkpoints</c>), when the run saved one; download it with
/// <see cref="TrackerRun.DownloadBestCheckpointAsync"/> or <c>GetArtifactAsync</c>.</param>
public sealed record RunAdvice(bool ShouldStop, string Reason, long? BestStep, string? Pattern, string Action = "keep training", string? BestCheckpoint = null)
{
    /// <summary>The advice before the server said anything: continue.</summary>
    public static RunAdvice Continue { get; } = new(false, "continue", null, null);
}
