using BenchmarkDotNet.Attributes;
using Tracker.Compute.Optimizers;

namespace Tracker.Benchmarks.Compute;

/// <summary>One <c>Step</c> of each first-order optimizer on 101,770 float32 parameters (the 784-128-10 MLP): must allocate nothing.</summary>
[MemoryDiagnoser]
public class OptimizerStepBenchmark
{
    private const int Dimension = 101_770;
    private float[] _parameters = [];
    private float[] _gradient = [];
    private FirstOrderOptimizer<float> _optimizer = null!;

    /// <summary>The optimizer under test.</summary>
    [Params("gd", "sgd_nesterov", "adagrad", "rmsprop_centered", "adam", "adamw", "amsgrad")]
    public string Optimizer { get; set; } = "adam";

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _parameters = [.. Enumerable.Range(0, Dimension).Select(_ => (float)rng.NextDouble())];
        _gradient = [.. Enumerable.Range(0, Dimension).Select(_ => (float)(rng.NextDouble() - 0.5))];
        _optimizer = Optimizer switch
        {
            "gd" => new GradientDescent<float>(Dimension, 1e-3),
            "sgd_nesterov" => new StochasticGradientDescent<float>(Dimension, 1e-3, momentum: 0.9, weightDecay: 1e-4, nesterov: true),
            "adagrad" => new AdaGrad<float>(Dimension, 1e-2, weightDecay: 1e-4),
            "rmsprop_centered" => new RmsProp<float>(Dimension, 1e-3, momentum: 0.9, weightDecay: 1e-4, centered: true),
            "adamw" => Adam<float>.AdamW(Dimension),
            "amsgrad" => new Adam<float>(Dimension, 1e-3, weightDecay: 1e-4, amsgrad: true),
            _ => new Adam<float>(Dimension),
        };
    }

    /// <summary>One update.</summary>
    [Benchmark]
    public void Step() => _optimizer.Step(_parameters, _gradient);
}
