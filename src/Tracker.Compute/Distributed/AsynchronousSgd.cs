using System.Numerics.Tensors;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Distributed;

/// <summary>Asynchronous (parameter-server) SGD with bounded staleness, simulated as an event schedule: worker k takes durations[k] time units per gradient, and the server applies each gradient on arrival.</summary>
/// <remarks>
/// A gradient is computed on the parameters the worker read when it started, unless those are more than τ
/// updates old, in which case it is computed on the version τ updates old (the stale-synchronous bound).
/// Staleness s = server version − version used; the step size is lr, or lr/(1+s) when staleness-aware.
/// Ties in arrival time go to the lower worker index; equal durations give s = K−1 in steady state.
/// </remarks>
internal sealed class AsynchronousSgd
{
    private readonly ReferenceProblem _problem;
    private readonly RowSampler _sampler;
    private readonly Random _rng;
    private readonly GradientCompressor[] _compressors;
    private readonly double[] _durations;
    private readonly double[] _arrival;
    private readonly long[] _readVersion;
    private readonly double[] _history;
    private readonly double[] _parameters;
    private readonly double[] _gradient;
    private readonly int[] _rows;
    private readonly int _maxStaleness;
    private long _version;

    /// <summary>Creates the simulation from <paramref name="initial"/> parameters; each worker draws <paramref name="batch"/> rows per gradient.</summary>
    public AsynchronousSgd(
        ReferenceProblem problem,
        ReadOnlySpan<double> initial,
        IReadOnlyList<double> durations,
        int batch,
        int maxStaleness,
        bool stalenessAware,
        RowSampler sampler,
        Random rng,
        CompressionSettings? compression = null
    )
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(durations);
        ArgumentOutOfRangeException.ThrowIfLessThan(durations.Count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxStaleness);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (durations.Any(d => !(d > 0)))
        {
            throw new ArgumentOutOfRangeException(nameof(durations), "Durations must be positive.");
        }

        var n = problem.Dimension;
        _problem = problem;
        _sampler = sampler ?? throw new ArgumentNullException(nameof(sampler));
        _rng = rng ?? throw new ArgumentNullException(nameof(rng));
        _compressors = [.. durations.Select(_ => GradientCompressor.Create(compression ?? new CompressionSettings(), n))];
        _durations = [.. durations];
        _arrival = [.. durations];
        _readVersion = new long[durations.Count];
        _maxStaleness = maxStaleness;
        StalenessAware = stalenessAware;
        _history = new double[(maxStaleness + 1) * n];
        _parameters = initial.ToArray();
        _parameters.CopyTo(_history, 0);
        _gradient = new double[n];
        _rows = new int[batch];
    }

    /// <summary>Whether the step size is divided by 1 + staleness.</summary>
    public bool StalenessAware { get; }

    /// <summary>The server's current parameters.</summary>
    public ReadOnlySpan<double> Parameters => _parameters;

    /// <summary>Updates applied so far (the server's version).</summary>
    public long Version => _version;

    /// <summary>Worker-to-server bytes sent so far: one (compressed) gradient per update.</summary>
    public long BytesUp { get; private set; }

    /// <summary>Server-to-worker bytes sent so far: one dense parameter pull per applied gradient (the version it was computed on).</summary>
    public long BytesDown { get; private set; }

    /// <summary>Bytes sent in both directions so far (<see cref="BytesUp"/> + <see cref="BytesDown"/>).</summary>
    public long BytesCommunicated => BytesUp + BytesDown;

    /// <summary>The worker whose gradient the last step applied.</summary>
    public int LastWorker { get; private set; }

    /// <summary>Equal durations except the last worker, <paramref name="straggler"/> times slower.</summary>
    public static double[] StragglerDurations(int workers, double straggler)
    {
        var durations = Enumerable.Repeat(1.0, workers).ToArray();
        durations[^1] = straggler;
        return durations;
    }

    /// <summary>Applies the next arriving gradient; returns its staleness.</summary>
    public int Step(double lr, double maxNorm = 0)
    {
        var k = 0;
        for (var w = 1; w < _arrival.Length; w++)
        {
            if (_arrival[w] < _arrival[k])
            {
                k = w;
            }
        }

        var used = Math.Max(_readVersion[k], _version - _maxStaleness);
        var staleness = (int)(_version - used);
        var n = _parameters.Length;
        _sampler.Next(_rows);
        _problem.UseRows(_rows);
        _problem.Evaluate(_history.AsSpan(Slot(used) * n, n), _gradient);
        BytesDown += sizeof(double) * (long)n;
        BytesUp += _compressors[k].Compress(_gradient, _rng);
        if (maxNorm > 0)
        {
            Compute.GradientClipping.ClipByNorm<double>(_gradient, maxNorm);
        }

        TensorPrimitives.MultiplyAdd(_gradient, -(StalenessAware ? lr / (1 + staleness) : lr), _parameters, _parameters);
        _version++;
        _parameters.CopyTo(_history.AsSpan(Slot(_version) * n, n));
        _readVersion[k] = _version;
        _arrival[k] += _durations[k];
        LastWorker = k;
        return staleness;
    }

    private int Slot(long version) => (int)(version % (_maxStaleness + 1));
}
