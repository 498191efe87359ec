using BenchmarkDotNet.Attributes;
using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;

namespace Tracker.Benchmarks.Compute;

/// <summary>A hosted reference experiment end to end, as the server's worker runs it (metrics to a sink that drops
/// them): MLP 64-128-128-10 on digits, batch 256, Adam, 100 steps with the full training loss every step and
/// validation every 10, in float32 and float64.</summary>
[MemoryDiagnoser]
public class HostedExperimentBenchmark
{
    private ExperimentSpec _spec = null!;

    /// <summary>The network's precision.</summary>
    [Params("float32", "float64")]
    public string DType { get; set; } = "float32";

    [GlobalSetup]
    public void Setup() =>
        _spec = ExperimentSpec.FromJson(
            $$"""{"solver":"adam","problem":"mlp","hyperparameters":{"lr":0.001,"dataset":"digits","width":128,"depth":2,"batch_size":256,"dtype":"{{DType}}"},"steps":100,"seed":0,"evalEvery":10}"""
        );

    /// <summary>Runs the experiment.</summary>
    [Benchmark]
    public void Run() => ExperimentRunner.Run(_spec, NullSink.Instance);

    private sealed class NullSink : IMetricSink
    {
        public static readonly NullSink Instance = new();

        public void Log(long step, string key, double value) { }
    }
}
