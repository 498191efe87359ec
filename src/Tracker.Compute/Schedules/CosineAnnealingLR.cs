namespace Tracker.Compute.Schedules;

/// <summary><c>CosineAnnealingLR</c> (closed form): η_min + (lr − η_min)(1 + cos(π t / T_max)) / 2.</summary>
internal sealed class CosineAnnealingLR(int tMax, double etaMin = 0) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double At(long epoch, double baseLr) => etaMin + ((baseLr - etaMin) * (1 + Math.Cos(Math.PI * epoch / tMax)) / 2);
}
