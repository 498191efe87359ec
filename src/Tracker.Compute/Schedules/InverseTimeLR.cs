namespace Tracker.Compute.Schedules;

/// <summary>Inverse-time decay (Robbins–Monro c/t form): lr·t₀ / (t₀ + t), i.e. c/(t + t₀) with c = lr·t₀.</summary>
internal sealed class InverseTimeLR(double t0 = 1) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double At(long epoch, double baseLr) => baseLr * t0 / (t0 + epoch);
}
