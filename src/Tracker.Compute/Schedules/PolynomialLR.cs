namespace Tracker.Compute.Schedules;

/// <summary><c>PolynomialLR</c>: lr·(1 − min(t, T)/T)^power.</summary>
internal sealed class PolynomialLR(int totalIters = 5, double power = 1) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double At(long epoch, double baseLr) => baseLr * Math.Pow(1.0 - ((double)Math.Min(totalIters, epoch) / totalIters), power);
}
