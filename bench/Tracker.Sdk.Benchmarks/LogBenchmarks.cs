using BenchmarkDotNet.Attributes;
using Tracker.Sdk;

namespace Tracker.Sdk.Benchmarks;

/// <summary>The cost of <c>run.Log</c> on the training thread (the background loop drains into a <see cref="DiscardingSink"/>, so the ring never fills).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class LogBenchmarks
{
    private TrackerRun _run = null!;
    private long _step;

    [GlobalSetup]
    public void Setup() => _run = TrackerRun.StartWithSink(new RunOptions { ChannelCapacity = 1_000_000, Project = "bench" }, new DiscardingSink());

    [GlobalCleanup]
    public void Cleanup() => _run.FinishAsync().GetAwaiter().GetResult();

    [Benchmark(Description = "Log(step, 4 tuples)")]
    public void LogFourMetrics()
    {
        var step = _step++;
        _run.Log(step, ("loss", 0.5), ("val_loss", 0.6), ("acc", 0.9), ("lr", 3e-4));
    }

    [Benchmark(Description = "Log(step, 1 tuple)")]
    public void LogOneMetric() => _run.Log(_step++, ("loss", 0.5));
}
