namespace Tracker.Compute.Schedules;

/// <summary>Linear warm-up from 0 over warmup_steps, then cosine decay to eta_min at total_steps (the Hugging Face <c>get_cosine_schedule_with_warmup</c> shape).</summary>
internal sealed class WarmupCosineLR(int warmupSteps, int totalSteps, double etaMin = 0) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double At(long epoch, double baseLr)
    {
        if (epoch < warmupSteps)
        {
            return baseLr * epoch / Math.Max(1, warmupSteps);
        }

        var progress = Math.Min(1.0, (double)(epoch - warmupSteps) / Math.Max(1, totalSteps - warmupSteps));
        return etaMin + ((baseLr - etaMin) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
