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

    /// <summary>Replaces the points with a fresh history; with <paramref name="keepLater"/>, points held after the history's
    /// last step (pushed live while it loaded) stay after it.</summary>
    public void Load(IReadOnlyList<(long Step, double Value, long Time)> points, bool keepLater)
    {
        var last = points.Count == 0 ? -1 : points[^1].Step;
        var later = new List<(long, double, long)>();
        if (keepLater)
        {
            for (var i = 0; i < _steps.Count; i++) if (_steps[i] > last) later.Add((_steps[i], _values[i], _times[i]));
        }
        _steps.Clear();
        _values.Clear();
        _times.Clear();
        foreach (var (s, v, t) in points) AddPoint(s, v, t);
        foreach (var (s, v, t) in later) AddPoint(s, v, t);
    }

    /// <summary>Appends live points after the last step held; returns how many were kept.</summary>
    public int Append(ReadOnlySpan<long> steps, ReadOnlySpan<double> values, ReadOnlySpan<long> times)
    {
        var kept = 0;
        for (var i = 0; i < steps.Length; i++)
        {
            if (steps[i] <= LastStep) continue;
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
