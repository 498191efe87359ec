namespace Tracker.Compute.Schedules;

/// <summary><c>StepLR</c>: lr·γ^⌊t / step_size⌋.</summary>
internal sealed class StepLR(int stepSize, double gamma = 0.1) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double At(long epoch, double baseLr) => baseLr * Math.Pow(gamma, epoch / stepSize);
}
