using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Tracker.Compute.Compute;
using Tracker.Compute.Optimizers;

namespace Tracker.Benchmarks.Compute;

/// <summary>Full-batch gradient descent for logistic regression on 100,000 × 100 float64, against one streaming pass over X.</summary>
[MemoryDiagnoser]
public class LogisticRegressionBenchmark
{
    private const int Rows = 100_000;
    private const int Columns = 100;
    private const int Steps = 100;
    private double[] _x = [];
    private double[] _y = [];
    private double[] _w = [];
    private double[] _g = [];
    private LinearModelGradient _kernel = null!;
    private GradientDescent<double> _gd = null!;
    private StreamingPass _pass = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _x = new double[Rows * Columns];
        _y = new double[Rows];
        var truth = new double[Columns];
        for (var j = 0; j < Columns; j++)
        {
            truth[j] = rng.NextDouble() - 0.5;
        }

        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Columns; j++)
            {
                _x[(i * Columns) + j] = (2 * rng.NextDouble()) - 1;
            }

            _y[i] = TensorPrimitives.Dot(_x.AsSpan(i * Columns, Columns), truth) + (rng.NextDouble() - 0.5) > 0 ? 1 : 0;
        }

        _w = new double[Columns];
        _g = new double[Columns];
        _kernel = new LinearModelGradient(Columns, LinearModelLoss.Logistic);
        _gd = new GradientDescent<double>(Columns, 0.5);
        _pass = new StreamingPass(_x);
    }

    /// <summary>100 steps: fused loss+gradient sweep, then the GD update.</summary>
    [Benchmark]
    public double GradientDescent100Steps()
    {
        Array.Clear(_w);
        var loss = 0.0;
        for (var s = 0; s < Steps; s++)
        {
            loss = _kernel.Evaluate(_x, _y, Rows, _w, _g);
            _gd.Step(_w, _g);
        }

        return loss;
    }

    /// <summary>The memory-bandwidth bound: 100 streaming passes (sum) over the same 80 MB matrix on all cores.</summary>
    [Benchmark(Baseline = true)]
    public double StreamingPass100()
    {
        var s = 0.0;
        for (var k = 0; k < Steps; k++)
        {
            s += _pass.Sum();
        }

        return s;
    }

    /// <summary>Sums the matrix in row blocks over the worker team: one read of every byte.</summary>
    private sealed class StreamingPass(double[] data) : IRowBlockJob
    {
        private readonly double[] _partial = new double[WorkerTeam.Shared.Size];

        public double Sum()
        {
            var blocks = WorkerTeam.Shared.Run(this, data.Length / Columns, 2048);
            var s = 0.0;
            for (var b = 0; b < blocks; b++)
            {
                s += _partial[b];
            }

            return s;
        }

        public void Execute(int block, int start, int end) => _partial[block] = TensorPrimitives.Sum(data.AsSpan(start * Columns, (end - start) * Columns));
    }
}
