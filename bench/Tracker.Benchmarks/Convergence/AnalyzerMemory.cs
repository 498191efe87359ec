using Tracker.Analysis.Convergence;

namespace Tracker.Benchmarks.Convergence;

/// <summary>Analyzer memory per active run (<c>dotnet run -c Release --project bench/Tracker.Benchmarks -- memory-per-run</c>):
/// the managed heap retained by 200 runs' analyzers, each fed the stream of <see cref="RunAnalyzerBenchmark"/> (loss, lr,
/// grad_norm/total and four layer norms every step, val_loss every 10) and evaluated, at several run lengths.</summary>
public static class AnalyzerMemory
{
    /// <summary>Prints the retained bytes per run for each run length.</summary>
    public static void Run()
    {
        const int Runs = 200;
        string[] names = ["loss", "lr", "grad_norm/total", "val_loss", "grad_norm/layer0", "grad_norm/layer1", "grad_norm/layer2", "grad_norm/layer3"];
        foreach (var steps in new[] { 1_000, 10_000, 100_000 })
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var held = new RunAnalyzer[Runs];
            for (var r = 0; r < Runs; r++)
            {
                var analyzer = new RunAnalyzer();
                var routes = names.Select(analyzer.Route).ToArray();
                var rng = new Random(r);
                for (var step = 0; step < steps; step++)
                {
                    var loss = 2.0 * Math.Exp(-step / (steps / 5.0)) + 0.1 + rng.NextDouble() * 0.02;
                    analyzer.Observe(routes[0], step, loss);
                    analyzer.Observe(routes[1], step, 0.1);
                    analyzer.Observe(routes[2], step, 1.0 / (1 + step * 0.001));
                    if (step % 10 == 0)
                        analyzer.Observe(routes[3], step, loss * 1.1);
                    for (var l = 4; l < names.Length; l++)
                        analyzer.Observe(routes[l], step, 0.5 / (1 + step * 0.001) * l);
                    if (step % 1_000 == 999)
                        analyzer.Advice();
                }
                analyzer.Evaluate();
                held[r] = analyzer;
            }
            var after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(held);
            Console.WriteLine(
                $"{steps, 7:N0} steps ({steps * 7.1:N0} points) per run: {(after - before) / (double)Runs / 1024:N1} KiB retained per run ({Runs} runs)"
            );
        }
    }
}
