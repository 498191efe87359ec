using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Tracker.Compute.Optimizers;

namespace Tracker.Benchmarks.Compute;

/// <summary>
/// One Adam step: the fused single-pass kernel (<see cref="Adam{T}"/>) against the same rule as a chain of
/// TensorPrimitives calls (the implementation it replaced), in float and double, at three sizes.
/// </summary>
/// <remarks>101,770 is the 784-128-10 MLP. Bytes streamed by the fused step: 7 arrays (read p, g, m, v; write p, m, v).</remarks>
[MemoryDiagnoser]
public class AdamStepBenchmark
{
    private float[] _pf = [],
        _gf = [],
        _mf = [],
        _vf = [],
        _sf = [];
    private double[] _pd = [],
        _gd = [],
        _md = [],
        _vd = [],
        _sd = [];
    private Adam<float> _adamF = null!;
    private Adam<double> _adamD = null!;
    private long _step;

    /// <summary>Number of parameters.</summary>
    [Params(1_000, 101_770, 1_000_000)]
    public int N { get; set; }

    /// <summary>Element type.</summary>
    [Params("float", "double")]
    public string Precision { get; set; } = "float";

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(5);
        _pd = [.. Enumerable.Range(0, N).Select(_ => rng.NextDouble())];
        _gd = [.. Enumerable.Range(0, N).Select(_ => rng.NextDouble() - 0.5)];
        (_md, _vd, _sd) = (new double[N], new double[N], new double[N]);
        _pf = [.. _pd.Select(x => (float)x)];
        _gf = [.. _gd.Select(x => (float)x)];
        (_mf, _vf, _sf) = (new float[N], new float[N], new float[N]);
        _adamF = new Adam<float>(N);
        _adamD = new Adam<double>(N);
    }

    /// <summary>The fused kernel.</summary>
    [Benchmark(Baseline = true)]
    public void Fused()
    {
        if (Precision == "float")
        {
            _adamF.Step(_pf, _gf);
        }
        else
        {
            _adamD.Step(_pd, _gd);
        }
    }

    /// <summary>torch's single-tensor rule as nine TensorPrimitives passes (lerp, mul, mul, fma, sqrt, div, add, div, fma).</summary>
    [Benchmark]
    public void Unfused()
    {
        _step++;
        var bc1 = 1 - Math.Pow(0.9, _step);
        var bc2Sqrt = Math.Sqrt(1 - Math.Pow(0.999, _step));
        if (Precision == "float")
        {
            TensorPrimitives.Lerp(_mf, _gf, 0.1f, _mf);
            TensorPrimitives.Multiply(_vf, 0.999f, _vf);
            TensorPrimitives.Multiply(_gf, _gf, _sf);
            TensorPrimitives.MultiplyAdd(_sf, 1 - 0.999f, _vf, _vf);
            TensorPrimitives.Sqrt(_vf, _sf);
            TensorPrimitives.Divide(_sf, (float)bc2Sqrt, _sf);
            TensorPrimitives.Add(_sf, 1e-8f, _sf);
            TensorPrimitives.Divide(_mf, _sf, _sf);
            TensorPrimitives.MultiplyAdd(_sf, (float)(-1e-3 / bc1), _pf, _pf);
        }
        else
        {
            TensorPrimitives.Lerp(_md, _gd, 0.1, _md);
            TensorPrimitives.Multiply(_vd, 0.999, _vd);
            TensorPrimitives.Multiply(_gd, _gd, _sd);
            TensorPrimitives.MultiplyAdd(_sd, 1 - 0.999, _vd, _vd);
            TensorPrimitives.Sqrt(_vd, _sd);
            TensorPrimitives.Divide(_sd, bc2Sqrt, _sd);
            TensorPrimitives.Add(_sd, 1e-8, _sd);
            TensorPrimitives.Divide(_md, _sd, _sd);
            TensorPrimitives.MultiplyAdd(_sd, -1e-3 / bc1, _pd, _pd);
        }
    }
}
