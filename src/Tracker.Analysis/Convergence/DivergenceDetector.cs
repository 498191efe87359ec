namespace Tracker.Analysis.Convergence;

/// <summary>Detects a loss that becomes NaN/Inf (at once) or grows far beyond its range (after a few confirming points).</summary>
/// <remarks>
/// A non-finite value latches <see cref="IsNonFinite"/> immediately. Growth: with S the
/// debiased EMA (weight 0.6), S_min its minimum and scale = max(S_first − S_min, |S_min|), the
/// loss is growing without bound when the raw value exceeds S_min + factor·scale at
/// <c>confirmations</c> consecutive points (default factor 5, 3 points): five times the whole
/// descent above the best level, so a single spike does not count and the rule does not depend
/// on the loss' units or sign. Growth clears when the loss comes back; non-finite stays. A loss
/// whose smoothed values were all exactly 0 so far has no scale yet: only non-finite values count.
/// </remarks>
public sealed class DivergenceDetector
{
    private readonly double _growthFactor;
    private readonly int _confirmations;
    private readonly DebiasedEma _ema = new(0.6);
    private double _first = double.NaN;
    private double _min = double.PositiveInfinity;
    private long _lastStep = long.MinValue;
    private long _count;
    private int _above;

    /// <summary>Creates a detector; growth must exceed <paramref name="growthFactor"/> times the loss' scale.</summary>
    public DivergenceDetector(double growthFactor = 5.0, int confirmations = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(growthFactor);
        ArgumentOutOfRangeException.ThrowIfLessThan(confirmations, 1);
        _growthFactor = growthFactor;
        _confirmations = confirmations;
    }

    /// <summary>Whether a NaN or infinite value has been seen (latched).</summary>
    public bool IsNonFinite { get; private set; }

    /// <summary>Whether the loss is currently growing without bound.</summary>
    public bool IsGrowing { get; private set; }

    /// <summary>Non-finite or growing.</summary>
    public bool IsDiverging => IsNonFinite || IsGrowing;

    /// <summary>The step of the first non-finite value, or of the point that confirmed growth.</summary>
    public long? DivergedStep { get; private set; }

    /// <summary>The offending value (NaN/Inf or the grown value).</summary>
    public double DivergedValue { get; private set; } = double.NaN;

    /// <summary>The growth limit S_min + factor·scale at the last point (NaN before two points).</summary>
    public double Limit { get; private set; } = double.NaN;

    /// <summary>The lowest smoothed value so far.</summary>
    public double SmoothedMin => _min;

    /// <summary>Feeds one loss point; returns true when this point makes the loss diverging.</summary>
    public bool Observe(long step, double value)
    {
        if (_count > 0 && step <= _lastStep)
        {
            return false;
        }

        _lastStep = step;
        _count++;
        var was = IsDiverging;
        if (!double.IsFinite(value))
        {
            if (!IsNonFinite)
            {
                IsNonFinite = true;
                DivergedStep = step;
                DivergedValue = value;
            }

            return !was;
        }

        var smoothed = _ema.Next(value);
        if (double.IsNaN(_first))
        {
            _first = smoothed;
        }

        _min = Math.Min(_min, smoothed);
        var scale = Math.Max(_first - _min, Math.Abs(_min));
        Limit = scale > 0 ? _min + (_growthFactor * scale) : double.NaN;
        _above = value > Limit ? _above + 1 : 0;
        IsGrowing = _above >= _confirmations;
        if (IsGrowing && !was)
        {
            DivergedStep = step;
            DivergedValue = value;
            return true;
        }

        return false;
    }
}
