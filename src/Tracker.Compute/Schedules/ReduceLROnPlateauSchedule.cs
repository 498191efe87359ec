using Tracker.Analysis.Convergence;

namespace Tracker.Compute.Schedules;

/// <summary>PyTorch's <c>ReduceLROnPlateau</c> as an experiment schedule: the analysis library's
/// <see cref="ReduceLrOnPlateau"/> state machine, fed the monitored metric after each evaluation.</summary>
internal sealed class ReduceLROnPlateauSchedule(ReduceLrOnPlateauOptions options) : LearningRateSchedule
{
    private ReduceLrOnPlateau? _plateau;

    /// <summary>The current learning rate (the base rate until the first reduction).</summary>
    public override double At(long epoch, double baseLr) => (_plateau ??= new ReduceLrOnPlateau(baseLr, options)).LearningRate;

    /// <summary>Feeds one evaluation of the monitored metric; true when it reduced the learning rate.</summary>
    public bool Observe(double metric) => _plateau?.Step(metric) ?? false;
}
