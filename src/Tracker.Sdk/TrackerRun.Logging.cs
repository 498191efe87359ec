using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Tracker.Sdk.Contracts;
using Tracker.Sdk.Internal;

namespace Tracker.Sdk;

/// <summary>Logging: every overload queues points and returns; the tuple and span overloads allocate nothing.</summary>
public sealed partial class TrackerRun
{
    private const string TotalGradNormKey = "grad_norm/total";
    private readonly ConcurrentDictionary<string, string> _gradKeys = new(StringComparer.Ordinal);

    // Keys already found valid, by identity (strings are immutable): a hit skips the character check. Racy by design:
    // a reference is written whole, and a lost write only costs one more check.
    private readonly string?[] _validKeys = new string?[64];

    /// <summary>Logs one metric at <paramref name="step"/>.</summary>
    public void Log(long step, string key, double value) => Log(step, (key, value));

    /// <summary>Logs one metric at <paramref name="step"/>.</summary>
    public void Log(long step, (string Key, double Value) metric)
    {
        if (_transport is null)
            return;
        var buffer = default(FourPoints);
        Span<LoggedPoint> points = buffer;
        var time = LoggedPoint.NowMs();
        var n = Add(points, 0, metric.Key, step, metric.Value, time);
        Write(points[..n]);
    }

    /// <summary>Logs two metrics at <paramref name="step"/>.</summary>
    public void Log(long step, (string Key, double Value) m1, (string Key, double Value) m2)
    {
        if (_transport is null)
            return;
        var buffer = default(FourPoints);
        Span<LoggedPoint> points = buffer;
        var time = LoggedPoint.NowMs();
        var n = Add(points, 0, m1.Key, step, m1.Value, time);
        n = Add(points, n, m2.Key, step, m2.Value, time);
        Write(points[..n]);
    }

    /// <summary>Logs three metrics at <paramref name="step"/>.</summary>
    public void Log(long step, (string Key, double Value) m1, (string Key, double Value) m2, (string Key, double Value) m3)
    {
        if (_transport is null)
            return;
        var buffer = default(FourPoints);
        Span<LoggedPoint> points = buffer;
        var time = LoggedPoint.NowMs();
        var n = Add(points, 0, m1.Key, step, m1.Value, time);
        n = Add(points, n, m2.Key, step, m2.Value, time);
        n = Add(points, n, m3.Key, step, m3.Value, time);
        Write(points[..n]);
    }

    /// <summary>Logs four metrics at <paramref name="step"/>.</summary>
    public void Log(long step, (string Key, double Value) m1, (string Key, double Value) m2, (string Key, double Value) m3, (string Key, double Value) m4)
    {
        if (_transport is null)
            return;
        var buffer = default(FourPoints);
        Span<LoggedPoint> points = buffer;
        var time = LoggedPoint.NowMs();
        var n = Add(points, 0, m1.Key, step, m1.Value, time);
        n = Add(points, n, m2.Key, step, m2.Value, time);
        n = Add(points, n, m3.Key, step, m3.Value, time);
        n = Add(points, n, m4.Key, step, m4.Value, time);
        Write(points[..n]);
    }

    /// <summary>Logs any number of metrics at <paramref name="step"/>.</summary>
    public void Log(long step, params ReadOnlySpan<(string Key, double Value)> metrics)
    {
        if (_transport is null)
            return;
        var chunk = new Chunker(this, LoggedPoint.NowMs());
        foreach (var (key, value) in metrics)
            chunk.Add(key, step, value);
        chunk.Flush();
    }

    /// <summary>Logs every entry of <paramref name="metrics"/> at <paramref name="step"/> (convenient, not allocation-free).</summary>
    public void Log(long step, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (_transport is null)
            return;
        var chunk = new Chunker(this, LoggedPoint.NowMs());
        foreach (var (key, value) in metrics)
            chunk.Add(key, step, value);
        chunk.Flush();
    }

    /// <summary>Logs per-layer gradient norms as <c>grad_norm/&lt;layer&gt;</c> and their L2 combination as <c>grad_norm/total</c>.</summary>
    public void LogGradientNorms(long step, params ReadOnlySpan<(string Layer, double Norm)> norms)
    {
        if (_transport is null)
            return;
        var chunk = new Chunker(this, LoggedPoint.NowMs());
        var sumOfSquares = 0.0;
        foreach (var (layer, norm) in norms)
        {
            chunk.Add(GradKey(layer), step, norm);
            sumOfSquares += norm * norm;
        }
        chunk.Add(TotalGradNormKey, step, Math.Sqrt(sumOfSquares));
        chunk.Flush();
    }

    /// <summary>Logs per-layer gradient norms given as a dictionary (see <see cref="LogGradientNorms(long, ReadOnlySpan{ValueTuple{string, double}})"/>).</summary>
    public void LogGradientNorms(long step, IEnumerable<KeyValuePair<string, double>> norms)
    {
        ArgumentNullException.ThrowIfNull(norms);
        if (_transport is null)
            return;
        var chunk = new Chunker(this, LoggedPoint.NowMs());
        var sumOfSquares = 0.0;
        foreach (var (layer, norm) in norms)
        {
            chunk.Add(GradKey(layer), step, norm);
            sumOfSquares += norm * norm;
        }
        chunk.Add(TotalGradNormKey, step, Math.Sqrt(sumOfSquares));
        chunk.Flush();
    }

    /// <summary>Computes each layer's gradient L2 norm (<see cref="TensorPrimitives.Norm{T}(ReadOnlySpan{T})"/>) and logs them as gradient norms.</summary>
    public void LogGradientNorms(long step, params ReadOnlySpan<(string Layer, ReadOnlyMemory<double> Gradient)> gradients)
    {
        if (_transport is null)
            return;
        var chunk = new Chunker(this, LoggedPoint.NowMs());
        var sumOfSquares = 0.0;
        foreach (var (layer, gradient) in gradients)
        {
            var norm = TensorPrimitives.Norm(gradient.Span);
            chunk.Add(GradKey(layer), step, norm);
            sumOfSquares += norm * norm;
        }
        chunk.Add(TotalGradNormKey, step, Math.Sqrt(sumOfSquares));
        chunk.Flush();
    }

    /// <summary>Computes each layer's gradient L2 norm from single-precision gradients and logs them as gradient norms.</summary>
    public void LogGradientNorms(long step, params ReadOnlySpan<(string Layer, ReadOnlyMemory<float> Gradient)> gradients)
    {
        if (_transport is null)
            return;
        var chunk = new Chunker(this, LoggedPoint.NowMs());
        var sumOfSquares = 0.0;
        foreach (var (layer, gradient) in gradients)
        {
            double norm = TensorPrimitives.Norm(gradient.Span);
            chunk.Add(GradKey(layer), step, norm);
            sumOfSquares += norm * norm;
        }
        chunk.Add(TotalGradNormKey, step, Math.Sqrt(sumOfSquares));
        chunk.Flush();
    }

    private string GradKey(string layer) => _gradKeys.GetOrAdd(layer, static l => "grad_norm/" + l);

    /// <summary>Puts a valid point at <paramref name="n"/>; returns the new count (unchanged, with one warning, for an invalid one).</summary>
    private int Add(Span<LoggedPoint> points, int n, string key, long step, double value, long time)
    {
        if (step < 0 || !IsValidKey(key))
        {
            Invalid(key, step);
            return n;
        }
        points[n] = new LoggedPoint(key, step, value, time);
        return n + 1;
    }

    private bool IsValidKey(string key)
    {
        if (key is null)
            return false;
        ref var cached = ref _validKeys[RuntimeHelpers.GetHashCode(key) & (64 - 1)];
        if (ReferenceEquals(cached, key))
            return true;
        if (!MetricKeyRule.IsValid(key))
            return false;
        cached = key;
        return true;
    }

    /// <summary>Queues the points of one call together: one reservation in the ring, or the back-pressure path.</summary>
    private void Write(ReadOnlySpan<LoggedPoint> points)
    {
        if (points.IsEmpty)
            return;
        _lastLogTick = Environment.TickCount64;
        if (!_transport!.TryWrite(points))
            _transport.WriteSlow(points);
    }

    /// <summary>Collects the points of a variable-length call on the stack and writes them in chunks.</summary>
    private ref struct Chunker(TrackerRun run, long time)
    {
        private PointChunk _buffer;
        private int _count;

        public void Add(string key, long step, double value)
        {
            _count = run.Add(_buffer, _count, key, step, value, time);
            if (_count == PointChunk.Length)
                Flush();
        }

        public void Flush()
        {
            run.Write(((ReadOnlySpan<LoggedPoint>)_buffer)[.._count]);
            _count = 0;
        }
    }

    private void Invalid(string? key, long step) =>
        _warnings.Once(
            "invalid:" + key,
            step < 0
                ? $"metric '{key}' logged at negative step {step}; steps must be ≥ 0 and such points are skipped"
                : $"metric key '{key}' is not ≤ 250 characters of [A-Za-z0-9_-./ ]; its points are skipped"
        );
}
