namespace Tracker.Analysis.Convergence;

/// <summary>The early-stopping advice in the API's shape.</summary>
/// <param name="ShouldStop">Whether training should stop (latched once signalled).</param>
/// <param name="Reason">The reason in plain words.</param>
/// <param name="BestStep">The step of the best monitored value (for restore-best), or null.</param>
/// <param name="BestValue">The best monitored value, or null.</param>
/// <param name="Monitor">The monitored series.</param>
/// <param name="Strategy">patience, gl, pq or up.</param>
/// <param name="Action">What to do now: after a stop, stop (and, with <c>restore_best_weights</c>, the step whose weights to restore); otherwise the learning-curve pattern's action.</param>
/// <param name="Pattern">The learning-curve label in effect (the held one), or null before the first evaluation.</param>
/// <param name="StopStep">The step of the evaluation that signalled the stop, or null while none has.</param>
public sealed record AdviceSnapshot(
    bool ShouldStop,
    string Reason,
    long? BestStep,
    double? BestValue,
    string Monitor,
    string Strategy,
    string? Action = null,
    string? Pattern = null,
    long? StopStep = null
);
