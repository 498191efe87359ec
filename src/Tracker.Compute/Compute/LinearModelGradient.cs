using System.Numerics.Tensors;

namespace Tracker.Compute.Compute;

/// <summary>Fused single-pass loss and gradient of a linear or logistic model: each row is read once for both Xw and Xᵀr.</summary>
/// <remarks>
/// The step is memory-bound, so z = x·w, r = ℓ'(z, y) and g += r x are computed while the row is in L1.
/// Rows are split over the <see cref="WorkerTeam"/>; each block accumulates its own partial gradient
/// and the partials are summed in block order, so results are deterministic for a given team size.
/// </remarks>
internal sealed class LinearModelGradient : IRowBlockJob
{
    private const int MinRowsPerBlock = 2048;
    private const int Chunk = 64;
    private readonly double[][] _scratch;
    private readonly double[][] _partialGradients;
    private readonly double[] _partialLoss;
    private readonly double[] _weights;
    private double[] _features;
    private double[] _targets;
    private int _rows;

    /// <summary>Creates the kernel for <paramref name="columns"/> features and the given loss.</summary>
    public LinearModelGradient(int columns, LinearModelLoss loss, WorkerTeam? team = null)
    {
        Columns = columns;
        Loss = loss;
        Team = team ?? WorkerTeam.Shared;
        _partialGradients = new double[Team.Size][];
        for (var i = 0; i < Team.Size; i++)
        {
            _partialGradients[i] = new double[columns];
        }

        _partialLoss = new double[Team.Size];
        _scratch = new double[Team.Size][];
        for (var i = 0; i < Team.Size; i++)
        {
            _scratch[i] = new double[3 * Chunk];
        }

        _weights = new double[columns];
        _features = [];
        _targets = [];
    }

    /// <summary>Number of features (and weights).</summary>
    public int Columns { get; }

    /// <summary>The model's loss.</summary>
    public LinearModelLoss Loss { get; }

    /// <summary>The threads used.</summary>
    public WorkerTeam Team { get; }

    /// <summary>Mean loss over the first <paramref name="rows"/> rows; writes the mean gradient into <paramref name="gradient"/>.</summary>
    public double Evaluate(double[] features, double[] targets, int rows, ReadOnlySpan<double> weights, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        weights.CopyTo(_weights);
        _features = features;
        _targets = targets;
        _rows = rows;
        var blocks = Team.Run(this, rows, MinRowsPerBlock);
        gradient.Clear();
        var loss = 0.0;
        for (var b = 0; b < blocks; b++)
        {
            TensorPrimitives.Add(gradient, _partialGradients[b], gradient);
            loss += _partialLoss[b];
        }

        var scale = 1.0 / Math.Max(1, rows);
        TensorPrimitives.Multiply(gradient, scale, gradient);
        _features = [];
        _targets = [];
        return loss * scale;
    }

    /// <inheritdoc />
    public void Execute(int block, int start, int end)
    {
        var g = _partialGradients[block].AsSpan();
        g.Clear();
        ReadOnlySpan<double> w = _weights;
        ReadOnlySpan<double> x = _features;
        ReadOnlySpan<double> y = _targets;
        var cols = Columns;
        var scratch = _scratch[block].AsSpan();
        var z = scratch[..Chunk];
        var r = scratch.Slice(Chunk, Chunk);
        var e = scratch.Slice(2 * Chunk, Chunk);
        var loss = 0.0;
        for (var c = start; c < end; c += Chunk)
        {
            var n = Math.Min(Chunk, end - c);
            var i = 0;
            for (; i + 4 <= n; i += 4)
            {
                RowKernels.Dot4(x.Slice((c + i) * cols), cols, w, z.Slice(i, 4));
            }

            for (; i < n; i++)
            {
                z[i] = TensorPrimitives.Dot(x.Slice((c + i) * cols, cols), w);
            }

            if (Loss == LinearModelLoss.Logistic)
            {
                loss += RowKernels.LogisticResiduals(z[..n], y.Slice(c, n), r[..n], e[..n]);
            }
            else
            {
                TensorPrimitives.Subtract(z[..n], y.Slice(c, n), r[..n]);
                loss += 0.5 * TensorPrimitives.SumOfSquares(r[..n]);
            }

            i = 0;
            for (; i + 4 <= n; i += 4)
            {
                RowKernels.Update4(x.Slice((c + i) * cols), cols, r.Slice(i, 4), g);
            }

            for (; i < n; i++)
            {
                TensorPrimitives.MultiplyAdd(x.Slice((c + i) * cols, cols), r[i], g, g);
            }
        }

        _partialLoss[block] = loss;
    }

    /// <summary>Numerically stable log(1 + eᶻ).</summary>
    public static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    /// <summary>Numerically stable 1 / (1 + e⁻ᶻ).</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1 / (1 + Math.Exp(-z));
        }

        var e = Math.Exp(z);
        return e / (1 + e);
    }
}
