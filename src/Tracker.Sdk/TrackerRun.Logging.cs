using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Tracker.Sdk.Internal;

namespace Tracker.Sdk;

/// <summary>Logging: every overload queues points and returns; the tuple and span overloads allocate nothing.</summary>
public sealed partial class TrackerRun
{
    private const string TotalGradNormKey = "grad_norm/total";
    private readonly ConcurrentDictionary<string, string> _gradKeys = new(StringComparer.Ordinal);

    /// <summary>Logs one metric at <paramref name="step"/>.</summary>
    public void Log(long step, string key, double value)
    {
        if (_transport is null) return;
        Write(key, step, value, LoggedPoint.NowMs());
    }

    /// <summary>Logs one metric at <paramref name="step"/>.</summary>
    public void Log(long step, (string Key, double Value) metric)
    {
        if (_transport is null) return;
        Write(metric.Key, step, metric.Value, LoggedPoint.NowMs());
    }

    /// <summary>Logs two metrics at <paramref name="step"/>.</summary>
    public void Log(long step, (string Key, double Value) m1, (string Key, double Value) m2)
    {
        if (_transport is null) return;
        var time = LoggedPoint.NowMs();
        Write(m1.Key, step, m1.Value, time);
        Write(m2.Key, step, m2.Value, time);
    }

    /// <summary>Logs three metrics at <paramref name="step"/>.</summary>
    public void Log(long step, (string Key, double Value) m1, (string Key, double Value) m2, (string Key, double Value) m3)
    {
        if (_transport is null) return;
        var time = LoggedPoint.NowMs();
        Write(m1.Key, step, m1.Value, time);
        Write(m2.Key, step, m2.Value, time);
        Write(m3.Key, step, m3.Value, time);
    }

    /// <summary>Logs four metrics at <paramref name="step"/>.</summary>
    public void Log(long step, (string Key, double Value) m1, (string Key, double Value) m2, (string Key, double Value) m3, (string Key, double Value) m4)
    {
        if (_transport is null) return;
        var time = LoggedPoint.NowMs();
        Write(m1.Key, step, m1.Value, time);
        Write(m2.Key, step, m2.Value, time);
        Write(m3.Key, step, m3.Value, time);
        Write(m4.Key, step, m4.Value, time);
    }

    /// <summary>Logs any number of metrics at <paramref name="step"/>.</summary>
    public void Log(long step, params ReadOnlySpan<(string Key, double Value)> metrics)
    {
        if (_transport is null) return;
        var time = LoggedPoint.NowMs();
        foreach (var (key, value) in metrics) Write(key, step, value, time);
    }

    /// <summary>Logs every entry of <paramref name="metrics"/> at <paramref name="step"/> (convenient, not allocation-free).</summary>
    public void Log(long step, IEnumerable<KeyValuePair<string, double>> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (_transport is null) return;
        var time = LoggedPoint.NowMs();
        foreach (var (key, value) in metrics) Write(key, step, value, time);
    }

    /// <summary>Logs per-layer gradient norms as <c>grad_norm/&lt;layer&gt;</c> and their L2 combination as <c>grad_norm/total</c>.</summary>
    public void LogGradientNorms(long step, params ReadOnlySpan<(string Layer, double Norm)> norms)
    {
        if (_transport is null) return;
        var time = LoggedPoint.NowMs();
        var sumOfSquares = 0.0;
        foreach (var (layer, norm) in norms)
        {
            Write(GradKey(layer), step, norm, time);
            sumOfSquares += norm * norm;
        }
        Write(TotalGradNormKey, step, Math.Sqrt(sumOfSquares), time);
    }

    /// <summary>Logs per-layer gradient norms given as a dictionary (see <see cref="LogGradientNorms(long, ReadOnlySpan{ValueTuple{string, double}})"/>).</summary>
    public void LogGradientNorms(long step, IEnumerable<KeyValuePair<string, double>> norms)
    {
        ArgumentNullException.ThrowIfNull(norms);
        if (_transport is null) return;
        var time = LoggedPoint.NowMs();
        var sumOfSquares = 0.0;
        foreach (var (layer, norm) in norms)
        {
            Write(GradKey(layer), step, norm, time);
            sumOfSquares += norm * norm;
        }
        Write(TotalGradNormKey, step, Math.Sqrt(sumOfSquares), time);
    }

    /// <summary>Computes each layer's gradient L2 norm (<see cref="TensorPrimitives.Norm{T}(ReadOnlySpan{T})"/>) and logs them as gradient norms.</summary>
    public void LogGradientNorms(long step, params ReadOnlySpan<(string Layer, ReadOnlyMemory<double> Gradient)> gradients)
    {
        if (_transport is null) return;
        var time = LoggedPoint.NowMs();
        var sumOfSquares = 0.0;
        foreach (var (layer, gradient) in gradients)
        {
            var norm = TensorPrimitives.Norm(gradient.Span);
            Write(GradKey(layer), step, norm, time);
            sumOfSquares += norm * norm;
        }
        Write(TotalGradNormKey, step, Math.Sqrt(sumOfSquares), time);
    }

    /// <summary>Computes each layer's gradient L2 norm from single-precision gradients and logs them as gradient norms.</summary>
    public void LogGradientNorms(long step, params ReadOnlySpan<(string Layer, ReadOnlyMemory<float> Gradient)> gradients)
    {
        if (_transport is null) return;
        var time = LoggedPoint.NowMs();
        var sumOfSquares = 0.0;
        foreach (var (layer, gradient) in gradients)
        {
            double norm = TensorPrimitives.Norm(gradient.Span);
            Write(GradKey(layer), step, norm, time);
            sumOfSquares += norm * norm;
        }
        Write(TotalGradNormKey, step, Math.Sqrt(sumOfSquares), time);
    }

    private string GradKey(string layer) => _gradKeys.GetOrAdd(layer, static l => "grad_norm/" + l);

    private void Write(string key, long step, double value, long time)
    {
        if (step < 0 || !MetricKeys.IsValid(key))
        {
            Invalid(key, step);
            return;
        }
        _lastLogMs = time;
        var point = new LoggedPoint(key, step, value, time);
        if (!_transport!.TryWrite(point)) _transport.WriteSlow(new ReadOnlySpan<LoggedPoint>(in point));
    }

    private void Invalid(string? key, long step) =>
        _warnings.Once("invalid:" + key, step < 0
            ? $"metric '{key}' logged at negative step {step}; steps must be ≥ 0 and such points are skipped"
            : $"metric key '{key}' is not ≤ 250 characters of [A-Za-z0-9_-./ ]; its points are skipped");
}
