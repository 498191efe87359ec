using System.Runtime.InteropServices;

namespace Tracker.Sdk.Internal;

/// <summary>The last value of each metric key, as drained from the ring (the run's summary).</summary>
internal sealed class LastValues
{
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    /// <summary>Records the points of one batch (two spans when the ring wraps).</summary>
    public void Record(ReadOnlySpan<PointRing.Slot> first, ReadOnlySpan<PointRing.Slot> second)
    {
        lock (_values)
        {
            foreach (ref readonly var s in first)
                CollectionsMarshal.GetValueRefOrAddDefault(_values, s.Point.Key, out _) = s.Point.Value;
            foreach (ref readonly var s in second)
                CollectionsMarshal.GetValueRefOrAddDefault(_values, s.Point.Key, out _) = s.Point.Value;
        }
    }

    /// <summary>A copy of the values now.</summary>
    public Dictionary<string, double> Snapshot()
    {
        lock (_values)
            return new Dictionary<string, double>(_values, StringComparer.Ordinal);
    }
}
