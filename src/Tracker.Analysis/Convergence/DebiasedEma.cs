namespace Tracker.Analysis.Convergence;

/// <summary>TensorBoard's debiased exponential moving average, fed one value at a time.</summary>
/// <remarks>
/// Matches TensorBoard's scalar-chart smoothing: <c>last = last·w + (1−w)·y; n += 1;
/// out = last / (1 − wⁿ)</c>. Non-finite values pass through unchanged and do not advance
/// <c>n</c> (nor touch <c>last</c>). TensorBoard additionally returns a constant series as is;
/// the debiased average of a constant series is that constant up to rounding, so the online
/// version needs no special case.
/// </remarks>
public sealed class DebiasedEma
{
    private readonly double _weight;
    private double _last;
    private double _weightPower = 1.0;

    /// <summary>Creates a smoother with the given weight in [0, 1) (TensorBoard's slider; 0 = no smoothing).</summary>
    public DebiasedEma(double weight)
    {
        if (!(weight >= 0.0 && weight < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The smoothing weight must be in [0, 1).");
        }

        _weight = weight;
    }

    /// <summary>The smoothing weight w.</summary>
    public double Weight => _weight;

    /// <summary>How many finite values have been averaged (TensorBoard's <c>numAccum</c>).</summary>
    public long Count { get; private set; }

    /// <summary>The last smoothed value, or NaN before the first finite value.</summary>
    public double Value => Count == 0 ? double.NaN : _last / (1.0 - _weightPower);

    /// <summary>Adds a value and returns its smoothed value (the value itself when it is not finite).</summary>
    public double Next(double value)
    {
        if (!double.IsFinite(value))
        {
            return value;
        }

        _last = (_last * _weight) + ((1.0 - _weight) * value);

        // wⁿ below 1e-300 no longer changes 1 − wⁿ; flushing it to 0 avoids slow denormals.
        _weightPower = _weightPower < 1e-300 ? 0.0 : _weightPower * _weight;
        Count++;
        return _last / (1.0 - _weightPower);
    }

    /// <summary>Forgets everything seen so far.</summary>
    public void Reset()
    {
        _last = 0.0;
        _weightPower = 1.0;
        Count = 0;
    }

    /// <summary>Smooths a whole series as TensorBoard's chart does (for the dashboard); no allocation.</summary>
    public static void Smooth(ReadOnlySpan<double> values, Span<double> smoothed, double weight)
    {
        if (smoothed.Length < values.Length)
        {
            throw new ArgumentException("The output is shorter than the input.", nameof(smoothed));
        }

        if (!(weight >= 0.0 && weight < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The smoothing weight must be in [0, 1).");
        }

        var last = 0.0;
        var power = 1.0;
        for (var i = 0; i < values.Length; i++)
        {
            var y = values[i];
            if (!double.IsFinite(y))
            {
                smoothed[i] = y;
                continue;
            }

            last = (last * weight) + ((1.0 - weight) * y);
            power = power < 1e-300 ? 0.0 : power * weight;
            smoothed[i] = last / (1.0 - power);
        }
    }
}
