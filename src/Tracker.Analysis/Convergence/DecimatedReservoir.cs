namespace Tracker.Analysis.Convergence;

/// <summary>A fixed-size summary of a long series: every <c>stride</c>-th point, the stride doubling when full.</summary>
/// <remarks>Holds at most <c>capacity</c> (step, value) pairs spread evenly over the whole series; O(1) amortized per point, no allocation after construction.</remarks>
internal sealed class DecimatedReservoir
{
    private readonly long[] _steps;
    private readonly double[] _values;
    private long _seen;

    public DecimatedReservoir(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 4);
        _steps = new long[capacity];
        _values = new double[capacity];
    }

    public int Count { get; private set; }

    public long Stride { get; private set; } = 1;

    public ReadOnlySpan<long> Steps => _steps.AsSpan(0, Count);

    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count);

    public void Add(long step, double value)
    {
        if ((_seen++ & (Stride - 1)) != 0)
        {
            return;
        }

        if (Count == _steps.Length)
        {
            var kept = 0;
            for (var i = 0; i < Count; i += 2)
            {
                _steps[kept] = _steps[i];
                _values[kept] = _values[i];
                kept++;
            }

            Count = kept;
            Stride *= 2;
            if (((_seen - 1) & (Stride - 1)) != 0)
            {
                return;
            }
        }

        _steps[Count] = step;
        _values[Count] = value;
        Count++;
    }
}
