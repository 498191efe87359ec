using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using Tracker.Analysis.Convergence;
using Tracker.Compute.Experiments;
using Tracker.Server.Ingest;

namespace Tracker.Server.Experiments;

/// <summary>Feeds an experiment's points into the normal ingest path (stored, analyzed, broadcast), in batches of up to
/// 5,000 points or every 100 ms, whichever comes first, so a slow experiment is still live. Every batch carries the
/// attempt's lease token (<paramref name="fence"/>): once the lease is lost, nothing more is stored. As an
/// <see cref="IParameterSink"/> it keeps the parameters of the best step by <paramref name="monitor"/> (strictly better
/// by <paramref name="mode"/>, so the earliest on ties, as checkpoint retention ranks): the monitor's value is compared
/// when it is logged, and the parameters are copied only at a step where it improved. Until the monitor is first logged
/// (a run that never logs it, e.g. <c>val_loss</c> on a problem without validation data) the latest parameters are
/// kept instead, one copy per step.</summary>
internal sealed class RunMetricSink(
    string runId,
    IngestFence fence,
    MetricIngestor ingestor,
    TimeProvider time,
    string? monitor,
    MetricMode mode,
    CancellationToken cancellationToken
) : IMetricSink, IParameterSink, IDisposable
{
    private const int MaxBatch = 5_000;
    private static readonly long FlushTicks = Stopwatch.Frequency / 10;
    private readonly MetricBatch _batch = new(MaxBatch) { Fence = fence };
    private long _lastFlush = Stopwatch.GetTimestamp();
    private long _seq;

    /// <summary>Points stored so far.</summary>
    public long Stored { get; private set; }

    /// <summary>A batch was refused because the attempt's lease is no longer the job's.</summary>
    public bool Fenced { get; private set; }

    private double _bestValue = double.NaN;
    private long _improvedAt = -1;
    private double[]? _parameters;
    private long _parametersStep = -1;

    /// <summary>The parameters to save as the run's checkpoint, with their step: those of the best step by the monitor,
    /// or the latest ones when the monitor was never logged; null when the solver handed none over.</summary>
    public (long Step, double[] Parameters)? Checkpoint => _parameters is null ? null : (_parametersStep, _parameters);

    /// <summary>The step of the best monitored value so far (earliest on ties), or -1 when the monitor was never logged.</summary>
    public long BestStep => double.IsNaN(_bestValue) ? -1 : _improvedAt;

    public void Log(long step, string key, double value)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (
            monitor is not null
            && !double.IsNaN(value)
            && string.Equals(key, monitor, StringComparison.Ordinal)
            && (double.IsNaN(_bestValue) || (mode == MetricMode.Max ? value > _bestValue : value < _bestValue))
        )
        {
            _bestValue = value;
            _improvedAt = step;
        }
        _batch.Add(_batch.InternKey(key), step, value, time.GetUtcNow().ToUnixTimeMilliseconds());
        if (_batch.Count >= MaxBatch || Stopwatch.GetTimestamp() - _lastFlush >= FlushTicks)
        {
            Flush();
        }
    }

    /// <summary>Stores what is buffered; throws <see cref="OperationCanceledException"/> when the run stopped accepting points.</summary>
    public void Flush()
    {
        _lastFlush = Stopwatch.GetTimestamp();
        if (_batch.Count == 0)
            return;
        _batch.Seq = _seq++;
        // The runner is synchronous on a dedicated worker thread, so blocking here is the intended back-pressure.
        var result = ingestor.IngestAsync(runId, _batch, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).GetAwaiter().GetResult();
        if (result.Outcome is IngestOutcome.Fenced)
        {
            Fenced = true;
            throw new OperationCanceledException($"run {runId}: this attempt lost its lease; its points are refused");
        }
        if (result.Outcome is IngestOutcome.RunNotRunning or IngestOutcome.RunNotFound)
        {
            throw new OperationCanceledException($"run {runId} no longer accepts points ({result.Outcome})");
        }
        Stored += _batch.Count;
        _batch.Clear();
    }

    public void OnParameters<T>(long step, ReadOnlySpan<T> parameters)
        where T : unmanaged, INumberBase<T>
    {
        if (step != _improvedAt && !double.IsNaN(_bestValue))
            return;
        if (_parameters is null || _parameters.Length != parameters.Length)
            _parameters = new double[parameters.Length];
        TensorPrimitives.ConvertTruncating<T, double>(parameters, _parameters);
        _parametersStep = step;
    }

    public void Dispose() => _batch.Dispose();
}
