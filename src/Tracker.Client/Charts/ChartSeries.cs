using Tracker.Analysis.Convergence;

namespace Tracker.Client.Charts;

/// <summary>The points of one trace as the page holds them: the loaded history plus live points, in step order, bounded.
/// A live point at or before the last step held is dropped (the history already has it, or it arrived out of order).</summary>
public sealed class ChartSeries(TraceSource source)
{
    private readonly List<long> _steps = [];
    private readonly List<double> _values = [];
    private readonly List<long> _times = [];
    private DebiasedEma? _ema;

    /// <summary>What the trace shows.</summary>
    public TraceSource Source { get; } = source;

    /// <summary>Points held.</summary>
    public int Count => _steps.Count;

    /// <summary>The last step held, or -1.</summary>
    public long LastStep => _steps.Count == 0 ? -1 : _steps[^1];

    /// <summary>Steps held.</summary>
    public IReadOnlyList<long> Steps => _steps;

    /// <summary>The last step of the last history loaded, or -1 (what a catch-up read continues from).</summary>
    public long HistoryEnd { get; private set; } = -1;

    /// <summary>Replaces the points with a fresh history; with <paramref name="keepLater"/>, points held after the history's
    /// last step (pushed live while it loaded) stay after it.</summary>
    public void Load(IReadOnlyList<(long Step, double Value, long Time)> points, bool keepLater)
    {
        var last = points.Count == 0 ? -1 : points[^1].Step;
        HistoryEnd = last;
        var later = new List<(long, double, long)>();
        if (keepLater)
        {
            for (var i = 0; i < _steps.Count; i++)
                if (_steps[i] > last)
                    later.Add((_steps[i], _values[i], _times[i]));
        }
        _steps.Clear();
        _values.Clear();
        _times.Clear();
        foreach (var (s, v, t) in points)
            AddPoint(s, v, t);
        foreach (var (s, v, t) in later)
            AddPoint(s, v, t);
    }

    /// <summary>Replaces the points with a fresh history read as columns (see <see cref="Load(IReadOnlyList{ValueTuple{long, double, long}}, bool)"/>).</summary>
    public void Load(Sdk.Contracts.MetricColumns history, bool keepLater)
    {
        var n = history.Steps.Length;
        var last = n == 0 ? -1 : history.Steps[^1];
        HistoryEnd = last;
        var keepFrom = _steps.Count;
        if (keepLater)
        {
            keepFrom = 0;
            while (keepFrom < _steps.Count && _steps[keepFrom] <= last)
                keepFrom++;
        }
        else
        {
            Clear(_steps.Count);
        }
        if (keepLater)
        {
            // Live points after the history's last step stay after it; everything before is replaced.
            _steps.RemoveRange(0, keepFrom);
            _values.RemoveRange(0, keepFrom);
            _times.RemoveRange(0, keepFrom);
        }
        _steps.InsertRange(0, history.Steps);
        _values.InsertRange(0, history.Values);
        _times.InsertRange(0, history.Times);
    }

    /// <summary>Adds the points of <paramref name="read"/> whose steps are not held, in step order (a catch-up read of what
    /// was logged before the live subscription started); returns how many were added.</summary>
    public int Merge(Sdk.Contracts.MetricColumns read)
    {
        var n = read.Steps.Length;
        if (n == 0)
            return 0;
        if (read.Steps[^1] > HistoryEnd)
            HistoryEnd = read.Steps[^1];
        var steps = new List<long>(_steps.Count + n);
        var values = new List<double>(_steps.Count + n);
        var times = new List<long>(_steps.Count + n);
        int i = 0,
            j = 0,
            added = 0;
        while (i < _steps.Count || j < n)
        {
            if (j == n || (i < _steps.Count && _steps[i] <= read.Steps[j]))
            {
                if (j < n && _steps[i] == read.Steps[j])
                    j++; // held already
                steps.Add(_steps[i]);
                values.Add(_values[i]);
                times.Add(_times[i]);
                i++;
            }
            else
            {
                steps.Add(read.Steps[j]);
                values.Add(read.Values[j]);
                times.Add(read.Times[j]);
                j++;
                added++;
            }
        }
        if (added == 0)
            return 0;
        _steps.Clear();
        _steps.AddRange(steps);
        _values.Clear();
        _values.AddRange(values);
        _times.Clear();
        _times.AddRange(times);
        return added;
    }

    /// <summary>Thins the held points to about <paramref name="target"/> when there are more: the points are cut into
    /// buckets and each keeps its smallest and largest value in step order (a spike survives); the last point stays.
    /// Returns true when it thinned (the chart must then be redrawn in full).</summary>
    public bool Compact(int target)
    {
        var count = _steps.Count;
        if (target < 4 || count <= target)
            return false;
        // The last point is kept apart; the others thin to the target less one.
        var keep = MinMaxDecimation.Select(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_values)[..(count - 1)], target - 1);
        var at = 0;
        foreach (var i in keep)
            Move(i, at++); // kept indices increase, so a move never overwrites one still to come
        Move(count - 1, at++);
        Clear(count - at);
        return true;
    }

    private void Move(int from, int to)
    {
        _steps[to] = _steps[from];
        _values[to] = _values[from];
        _times[to] = _times[from];
    }

    private void Clear(int lastCount)
    {
        _steps.RemoveRange(_steps.Count - lastCount, lastCount);
        _values.RemoveRange(_values.Count - lastCount, lastCount);
        _times.RemoveRange(_times.Count - lastCount, lastCount);
    }

    /// <summary>Appends live points after the last step held; returns how many were kept.</summary>
    public int Append(ReadOnlySpan<long> steps, ReadOnlySpan<double> values, ReadOnlySpan<long> times)
    {
        var kept = 0;
        for (var i = 0; i < steps.Length; i++)
        {
            if (steps[i] <= LastStep)
                continue;
            AddPoint(steps[i], values[i], times[i]);
            kept++;
        }
        return kept;
    }

    /// <summary>The whole trace as chart coordinates under <paramref name="view"/> (x: step, or wall time in Unix ms;
    /// y: NaN where the value is not finite, a gap in the line); restarts the smoother.</summary>
    public (double[] X, double[] Y) Project(ChartView view)
    {
        _ema = view.Smoothing > 0 ? new DebiasedEma(view.Smoothing) : null;
        return ProjectRange(0, _steps.Count, view);
    }

    /// <summary>The last <paramref name="count"/> points as chart coordinates, continuing the smoother of the last <see cref="Project"/>.</summary>
    public (double[] X, double[] Y) ProjectTail(int count, ChartView view) => ProjectRange(_steps.Count - count, _steps.Count, view);

    /// <summary>The step range that covers the wall-time window [<paramref name="t0"/>, <paramref name="t1"/>] (epoch ms):
    /// from the last held point at or before t0 to the first at or after t1; null when no point is held.</summary>
    public (long From, long To)? StepsCovering(double t0, double t1)
    {
        if (_steps.Count == 0)
            return null;
        int first = 0,
            last = _steps.Count - 1;
        for (var i = 0; i < _steps.Count; i++)
        {
            if (_times[i] <= t0)
                first = i;
            if (_times[i] >= t1)
            {
                last = i;
                break;
            }
        }
        return (_steps[first], Math.Max(_steps[first], _steps[last]));
    }

    private (double[] X, double[] Y) ProjectRange(int from, int to, ChartView view)
    {
        var x = new double[to - from];
        var y = new double[to - from];
        for (var i = from; i < to; i++)
        {
            x[i - from] = view.WallTime ? _times[i] : _steps[i];
            var v = _ema is null ? _values[i] : _ema.Next(_values[i]);
            y[i - from] = double.IsFinite(v) ? v : double.NaN;
        }
        return (x, y);
    }

    private void AddPoint(long step, double value, long time)
    {
        _steps.Add(step);
        _values.Add(value);
        _times.Add(time);
    }
}
