namespace Tracker.Client.Charts;

/// <summary>Holds live points for a chart until they may be drawn: nothing before the chart's first render (points sent
/// earlier would be drawn twice), then at most one update per <see cref="MinInterval"/>, all traces in one call.</summary>
public sealed class ChartPointBuffer(TimeSpan minInterval, TimeProvider time)
{
    private readonly Dictionary<int, (List<double> X, List<double> Y)> _pending = [];
    private long _lastFlush = long.MinValue;

    /// <summary>Least time between two chart updates (200 ms: at most 5 per second).</summary>
    public TimeSpan MinInterval { get; } = minInterval;

    /// <summary>True once the chart rendered.</summary>
    public bool Rendered { get; private set; }

    /// <summary>Points waiting.</summary>
    public int PendingCount => _pending.Values.Sum(p => p.X.Count);

    /// <summary>Queues points of trace <paramref name="trace"/>.</summary>
    public void Add(int trace, IEnumerable<double> x, IEnumerable<double> y)
    {
        if (!_pending.TryGetValue(trace, out var p))
        {
            p = ([], []);
            _pending[trace] = p;
        }
        p.X.AddRange(x);
        p.Y.AddRange(y);
    }

    /// <summary>Drops everything queued (the chart was rebuilt from fresh data).</summary>
    public void Clear() => _pending.Clear();

    /// <summary>The chart was drawn in full: that counts as an update (the next one waits <see cref="MinInterval"/>).</summary>
    public void Drawn() => _lastFlush = time.GetTimestamp();

    /// <summary>The chart rendered: queued points may go.</summary>
    public void MarkRendered() => Rendered = true;

    /// <summary>How long until <see cref="TryTake"/> may succeed (zero when it may now).</summary>
    public TimeSpan DueIn()
    {
        if (_lastFlush == long.MinValue)
            return TimeSpan.Zero;
        var left = MinInterval - time.GetElapsedTime(_lastFlush);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Takes the queued points of every trace when the chart rendered, points wait and the interval passed.</summary>
    public bool TryTake(out ChartUpdate update)
    {
        update = default;
        if (!Rendered || _pending.Count == 0 || DueIn() > TimeSpan.Zero)
            return false;
        var traces = _pending.Keys.Order().ToArray();
        update = new ChartUpdate(traces, [.. traces.Select(t => _pending[t].X.ToArray())], [.. traces.Select(t => _pending[t].Y.ToArray())]);
        _pending.Clear();
        _lastFlush = time.GetTimestamp();
        return true;
    }
}

/// <summary>One coalesced chart update: new points per trace.</summary>
/// <param name="Traces">Trace indices.</param>
/// <param name="X">New x values per trace.</param>
/// <param name="Y">New y values per trace (NaN: a gap).</param>
public readonly record struct ChartUpdate(int[] Traces, double[][] X, double[][] Y);
