using BenchmarkDotNet.Attributes;
using Tracker.Compute.Compute;
using Tracker.Compute.Networks;
using Tracker.Compute.Optimizers;

namespace Tracker.Benchmarks.Compute;

/// <summary>MLP 784-128-10, batch 256, float32, Adam: 100 steps; and the two large GEMMs of a step alone (for GFLOP/s).</summary>
/// <remarks>
/// Synthetic 784-feature data (MNIST's shape; the shipped digits set has 64). GEMM flops per step:
/// forward 2·256·784·128 + 2·256·128·10, backward 2·784·256·128 + 2·(128·256·10)·2 ≈ 104 MFLOP.
/// </remarks>
[MemoryDiagnoser]
public class MlpTrainingBenchmark
{
    private const int Batch = 256;
    private const int Inputs = 784;
    private const int Hidden = 128;
    private const int Classes = 10;
    private const int Batches = 10;
    private float[] _x = [];
    private int[] _y = [];
    private float[] _parameters = [];
    private float[] _gradient = [];
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];
    private MultilayerPerceptron<float> _network = null!;
    private Adam<float> _adam = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        _network = new MultilayerPerceptron<float>(new MlpArchitecture(Inputs, Hidden, 1, Classes), Batch);
        _x = new float[Batches * Batch * Inputs];
        _y = new int[Batches * Batch];
        for (var i = 0; i < _x.Length; i++)
        {
            _x[i] = (float)rng.NextDouble();
        }

        for (var i = 0; i < _y.Length; i++)
        {
            _y[i] = rng.Next(Classes);
        }

        var init = new double[_network.ParameterCount];
        _network.Initialize(init, WeightInit.PyTorchDefault, rng);
        _parameters = [.. init.Select(v => (float)v)];
        _gradient = new float[_network.ParameterCount];
        _adam = new Adam<float>(_network.ParameterCount, 1e-3);
        _a = new float[Batch * Inputs];
        _b = new float[Inputs * Hidden];
        _c = new float[Batch * Hidden];
        Console.WriteLine($"// GEMM flops per training step: {_network.GemmFlops(Batch):N0}");
    }

    /// <summary>100 Adam steps (forward, backward, update) over ten rotating mini-batches.</summary>
    [Benchmark]
    public double Adam100Steps()
    {
        var loss = 0.0;
        for (var s = 0; s < 100; s++)
        {
            var b = s % Batches;
            loss = _network.Evaluate(_parameters, _x.AsSpan(b * Batch * Inputs, Batch * Inputs), _y.AsSpan(b * Batch, Batch), Batch, _gradient);
            _adam.Step(_parameters, _gradient);
        }

        return loss;
    }

    /// <summary>Forward GEMM of the first layer: (256×784)·(784×128), 51.4 MFLOP.</summary>
    [Benchmark]
    public void GemmForward256x784x128() => Gemm.Multiply<float>(_a, _b, _c, Batch, Inputs, Hidden);

    /// <summary>Weight-gradient GEMM of the first layer: Xᵀ(784×256)·(256×128), 51.4 MFLOP.</summary>
    [Benchmark]
    public void GemmWeightGradient784x256x128() => Gemm.Multiply<float>(_a, _c, _b, Inputs, Batch, Hidden, transposeA: true);
}
