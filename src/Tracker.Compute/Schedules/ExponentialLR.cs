namespace Tracker.Compute.Schedules;

/// <summary><c>ExponentialLR</c>: lr·γᵗ.</summary>
internal sealed class ExponentialLR(double gamma) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double At(long epoch, double baseLr) => baseLr * Math.Pow(gamma, epoch);
}
