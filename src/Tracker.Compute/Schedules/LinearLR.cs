namespace Tracker.Compute.Schedules;

/// <summary><c>LinearLR</c>: the factor moves linearly from start_factor to end_factor over total_iters steps.</summary>
internal sealed class LinearLR(double startFactor = 1.0 / 3, double endFactor = 1, int totalIters = 5) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double At(long epoch, double baseLr) => baseLr * (startFactor + ((endFactor - startFactor) * Math.Min(totalIters, epoch) / totalIters));
}
