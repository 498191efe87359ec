namespace Tracker.Compute.Schedules;

/// <summary>Inverse square-root decay α_t = α/√t (t counted from 1), the step size of the regret analyses of AdaGrad, Adam and AMSGrad: lr·√t₀ / √(t₀ + epoch).</summary>
internal sealed class InverseSqrtLR(double t0 = 1) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double At(long epoch, double baseLr) => baseLr * Math.Sqrt(t0 / (t0 + epoch));
}
