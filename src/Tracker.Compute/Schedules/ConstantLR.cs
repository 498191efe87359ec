namespace Tracker.Compute.Schedules;

/// <summary>No schedule: the base rate at every step.</summary>
internal sealed class ConstantLR : LearningRateSchedule
{
    /// <inheritdoc />
    public override double At(long epoch, double baseLr) => baseLr;
}
