namespace Tracker.Compute.Schedules;

/// <summary><c>OneCycleLR</c> learning rate (two- or three-phase, cosine or linear annealing); momentum cycling is not applied.</summary>
internal sealed class OneCycleLR(
    double maxLr,
    int totalSteps,
    double pctStart = 0.3,
    bool cosine = true,
    double divFactor = 25,
    double finalDivFactor = 1e4,
    bool threePhase = false
) : LearningRateSchedule
{
    /// <inheritdoc />
    public override double At(long epoch, double baseLr)
    {
        var initial = maxLr / divFactor;
        var min = initial / finalDivFactor;
        Span<(double End, double Start, double Stop)> phases = stackalloc (double, double, double)[3];
        int count;
        if (threePhase)
        {
            phases[0] = ((pctStart * totalSteps) - 1, initial, maxLr);
            phases[1] = ((2 * pctStart * totalSteps) - 2, maxLr, initial);
            phases[2] = (totalSteps - 1, initial, min);
            count = 3;
        }
        else
        {
            phases[0] = ((pctStart * totalSteps) - 1, initial, maxLr);
            phases[1] = (totalSteps - 1, maxLr, min);
            count = 2;
        }

        var startStep = 0.0;
        for (var i = 0; i < count; i++)
        {
            var (end, from, to) = phases[i];
            if (epoch <= end || i == count - 1)
            {
                var pct = (epoch - startStep) / (end - startStep);
                return cosine ? to + ((from - to) / 2 * (Math.Cos(Math.PI * pct) + 1)) : ((to - from) * pct) + from;
            }

            startStep = end;
        }

        return min;
    }
}
