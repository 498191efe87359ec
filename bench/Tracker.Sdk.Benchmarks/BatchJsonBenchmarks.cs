using BenchmarkDotNet.Attributes;
using Tracker.Sdk.Internal;

namespace Tracker.Sdk.Benchmarks;

/// <summary>The send loop's CPU per batch: serializing an ingest body straight from buffered points.</summary>
[MemoryDiagnoser]
public class BatchJsonBenchmarks
{
    private static readonly string[] Keys = ["loss", "val_loss", "acc", "lr"];
    private readonly BatchJson _json = new();
    private LoggedPoint[] _points = [];

    [Params(10_000)]
    public int Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var time = LoggedPoint.NowMs();
        _points = Enumerable.Range(0, Points).Select(i => new LoggedPoint(Keys[i % 4], i / 4, random.NextDouble(), time + i / 400)).ToArray();
    }

    [Benchmark(Description = "BatchJson.Write (10,000 points)")]
    public int Write() => _json.Write(1, _points).Length;
}
