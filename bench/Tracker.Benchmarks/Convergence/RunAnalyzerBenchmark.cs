using BenchmarkDotNet.Attributes;
using Tracker.Analysis.Convergence;

namespace Tracker.Benchmarks.Convergence;

/// <summary>The full analyzer set of one run fed a realistic stream: every step loss, lr, grad_norm/total and four
/// per-layer norms; val_loss every 10 steps; one Evaluate per 1,000 points (an ingest batch). Reported per point.</summary>
[MemoryDiagnoser]
public class RunAnalyzerBenchmark
{
    private const int Steps = 20_000;
    private static readonly string[] Layers = ["grad_norm/layer0", "grad_norm/layer1", "grad_norm/layer2", "grad_norm/layer3"];
    private double[] _noise = [];

    /// <summary>Points fed per benchmark invocation.</summary>
    public const int PointsPerInvocation = Steps * 7 + Steps / 10;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _noise = new double[Steps];
        for (var i = 0; i < Steps; i++)
            _noise[i] = rng.NextDouble() * 0.02;
    }

    [Benchmark(OperationsPerInvoke = PointsPerInvocation, Description = "RunAnalyzer: ns per point (7.1 series/step, Evaluate per 1,000 points)")]
    public AnalysisSnapshot ObserveAndEvaluate() => Feed(evaluateEvery: 1_000);

    /// <summary>What the server does at full ingest speed: it evaluates a run at most every 200 ms, i.e. every ~50,000
    /// points at 250,000 points/s (the advice alone is refreshed on every batch).</summary>
    [Benchmark(OperationsPerInvoke = PointsPerInvocation, Description = "RunAnalyzer: ns per point (Evaluate per 50,000 points)")]
    public AnalysisSnapshot ObserveAndEvaluateThrottled() => Feed(evaluateEvery: 50_000);

    /// <summary>As the server feeds an ingested batch: series names resolved to routes once, not per point.</summary>
    [Benchmark(OperationsPerInvoke = PointsPerInvocation, Description = "RunAnalyzer: ns per point (routes resolved once, Evaluate per 50,000 points)")]
    public AnalysisSnapshot ObserveRoutedAndEvaluateThrottled() => Feed(evaluateEvery: 50_000, routed: true);

    [Benchmark(OperationsPerInvoke = PointsPerInvocation, Description = "RunAnalyzer: ns per point, Observe only")]
    public AnalysisSnapshot ObserveOnly() => Feed(evaluateEvery: int.MaxValue);

    private AnalysisSnapshot Feed(int evaluateEvery, bool routed = false)
    {
        var analyzer = new RunAnalyzer();
        var names = new[] { "loss", "lr", "grad_norm/total", "val_loss" }.Concat(Layers).ToArray();
        var routes = names.Select(analyzer.Route).ToArray();
        void Observe(int series, long step, double value)
        {
            if (routed)
                analyzer.Observe(routes[series], step, value);
            else
                analyzer.Observe(names[series], step, value);
        }

        var sinceEvaluate = 0;
        AnalysisSnapshot? last = null;
        for (var step = 0; step < Steps; step++)
        {
            var loss = 2.0 * Math.Exp(-step / 4000.0) + 0.1 + _noise[step];
            Observe(0, step, loss);
            Observe(1, step, 1e-3);
            Observe(2, step, loss * 3);
            for (var l = 0; l < Layers.Length; l++)
                Observe(4 + l, step, loss * (l + 1));
            sinceEvaluate += 7;
            if (step % 10 == 0)
            {
                Observe(3, step, loss * 1.1 + _noise[(step * 7) % Steps]);
                sinceEvaluate++;
            }
            if (sinceEvaluate >= evaluateEvery)
            {
                last = analyzer.Evaluate().Snapshot;
                sinceEvaluate = 0;
            }
        }
        return last ?? analyzer.Snapshot();
    }
}
