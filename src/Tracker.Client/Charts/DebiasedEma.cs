namespace Tracker.Client.Charts;

/// <summary>TensorBoard's debiased exponential moving average, as a stream: <c>last = last·w + (1−w)·y; n += 1;
/// out = last / (1 − wⁿ)</c>. Non-finite values pass through unchanged and do not advance the average.</summary>
/// <remarks>Kept here until the analysis library's smoother is shared with the dashboard (same formula).</remarks>
public sealed class DebiasedEma(double weight)
{
    private double _last;
    private int _n;

    /// <summary>The smoothing weight in [0, 1).</summary>
    public double Weight { get; } = weight is >= 0 and < 1 ? weight : throw new ArgumentOutOfRangeException(nameof(weight));

    /// <summary>The smoothed value of the next point.</summary>
    public double Next(double y)
    {
        if (!double.IsFinite(y)) return y;
        if (Weight == 0) return y;
        _last = _last * Weight + (1 - Weight) * y;
        _n++;
        return _last / (1 - Math.Pow(Weight, _n));
    }

    /// <summary>Smooths a whole series.</summary>
    public static double[] Smooth(ReadOnlySpan<double> values, double weight)
    {
        var ema = new DebiasedEma(weight);
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = ema.Next(values[i]);
        return result;
    }
}
