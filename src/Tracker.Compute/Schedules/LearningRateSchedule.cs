namespace Tracker.Compute.Schedules;

/// <summary>A learning-rate schedule in closed form: the rate after <c>epoch</c> calls of PyTorch's <c>scheduler.step()</c>.</summary>
internal abstract class LearningRateSchedule
{
    /// <summary>The learning rate at <paramref name="epoch"/> (0 = before the first scheduler step) for the base rate <paramref name="baseLr"/>.</summary>
    public abstract double At(long epoch, double baseLr);
}
