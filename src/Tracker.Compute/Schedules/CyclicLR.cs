namespace Tracker.Compute.Schedules;

/// <summary><c>CyclicLR</c>: a triangular wave between base_lr and max_lr (PyTorch's base_lr is <c>lowerLr</c>; the optimizer's lr is ignored).</summary>
internal sealed class CyclicLR(
    double lowerLr,
    double maxLr,
    int stepSizeUp = 2000,
    int? stepSizeDown = null,
    CyclicMode mode = CyclicMode.Triangular,
    double gamma = 1
) : LearningRateSchedule
{
    private readonly double _totalSize = stepSizeUp + (stepSizeDown ?? stepSizeUp);

    /// <inheritdoc />
    public override double At(long epoch, double baseLr)
    {
        var stepRatio = stepSizeUp / _totalSize;
        var cycle = Math.Floor(1 + (epoch / _totalSize));
        var x = 1.0 + (epoch / _totalSize) - cycle;
        var scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        var baseHeight = (maxLr - lowerLr) * scaleFactor;
        var scale = mode switch
        {
            CyclicMode.Triangular => 1.0,
            CyclicMode.Triangular2 => 1 / Math.Pow(2, cycle - 1),
            _ => Math.Pow(gamma, epoch),
        };
        return lowerLr + (baseHeight * scale);
    }
}
