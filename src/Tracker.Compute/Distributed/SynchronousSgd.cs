using System.Numerics.Tensors;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Distributed;

/// <summary>Synchronous data-parallel SGD, simulated: each step the server broadcasts the parameters, K workers take consecutive shards of one global batch, send (compressed) gradients, and the server applies their row-weighted average.</summary>
/// <remarks>With equal shards the average is the plain mean, and without compression K workers × b rows equal one worker × K·b rows (large-batch SGD) up to rounding.</remarks>
internal sealed class SynchronousSgd
{
    private readonly ReferenceProblem _problem;
    private readonly RowSampler _sampler;
    private readonly Random _rng;
    private readonly GradientCompressor[] _compressors;
    private readonly int[] _rows;
    private readonly double[] _gradient;
    private readonly double[] _average;

    /// <summary>Creates the simulation; <paramref name="globalBatch"/> rows per step are split among <paramref name="workers"/> workers.</summary>
    public SynchronousSgd(ReferenceProblem problem, int workers, int globalBatch, RowSampler sampler, Random rng, CompressionSettings? compression = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(globalBatch, workers);
        _problem = problem;
        _sampler = sampler ?? throw new ArgumentNullException(nameof(sampler));
        _rng = rng ?? throw new ArgumentNullException(nameof(rng));
        _compressors = [.. Enumerable.Range(0, workers).Select(_ => GradientCompressor.Create(compression ?? new CompressionSettings(), problem.Dimension))];
        _rows = new int[globalBatch];
        _gradient = new double[problem.Dimension];
        _average = new double[problem.Dimension];
    }

    /// <summary>Number of workers.</summary>
    public int Workers => _compressors.Length;

    /// <summary>Worker-to-server bytes sent so far: each worker's (compressed) gradient, every step.</summary>
    public long BytesUp { get; private set; }

    /// <summary>Server-to-worker bytes sent so far: the parameters (dense doubles) broadcast to every worker at the start of each step.</summary>
    public long BytesDown { get; private set; }

    /// <summary>Bytes sent in both directions so far (<see cref="BytesUp"/> + <see cref="BytesDown"/>).</summary>
    public long BytesCommunicated => BytesUp + BytesDown;

    /// <summary>The last step's averaged gradient (after decoding).</summary>
    public ReadOnlySpan<double> Gradient => _average;

    /// <summary>One synchronous step x ← x − lr·Σₖ (bₖ/B)·ĝₖ; <paramref name="maxNorm"/> &gt; 0 clips the average first.</summary>
    public void Step(Span<double> x, double lr, double maxNorm = 0)
    {
        _sampler.Next(_rows);
        _average.AsSpan().Clear();
        int total = _rows.Length,
            workers = Workers,
            offset = 0;
        for (var k = 0; k < workers; k++)
        {
            var size = (total / workers) + (k < total % workers ? 1 : 0);
            _problem.UseRows(_rows.AsSpan(offset, size));
            BytesDown += sizeof(double) * (long)x.Length;
            _problem.Evaluate(x, _gradient);
            BytesUp += _compressors[k].Compress(_gradient, _rng);
            TensorPrimitives.MultiplyAdd(_gradient, (double)size / total, _average, _average);
            offset += size;
        }

        if (maxNorm > 0)
        {
            Compute.GradientClipping.ClipByNorm<double>(_average, maxNorm);
        }

        TensorPrimitives.MultiplyAdd(_average, -lr, x, x);
    }
}
