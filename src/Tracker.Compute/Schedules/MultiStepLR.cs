namespace Tracker.Compute.Schedules;

/// <summary><c>MultiStepLR</c>: lr·γ^(number of milestones ≤ t).</summary>
internal sealed class MultiStepLR(IReadOnlyList<int> milestones, double gamma = 0.1) : LearningRateSchedule
{
    private readonly int[] _milestones = [.. milestones.Order()];

    /// <inheritdoc />
    public override double At(long epoch, double baseLr)
    {
        var passed = 0;
        foreach (var m in _milestones)
        {
            if (m <= epoch)
            {
                passed++;
            }
        }

        return baseLr * Math.Pow(gamma, passed);
    }
}
