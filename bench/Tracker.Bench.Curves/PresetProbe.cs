using System.Diagnostics;
using Tracker.Analysis.Convergence;
using Tracker.Analysis.Experiments;

namespace Tracker.Bench.Curves;

/// <summary>Runs every catalog preset through the runner and a fresh <see cref="RunAnalyzer"/> (patience 5) and prints its verdicts.</summary>
internal static class PresetProbe
{
    public static int Run(string filter)
    {
        foreach (ExperimentPreset preset in ExperimentPresets.All.Where(p => p.Name.Contains(filter, StringComparison.Ordinal)))
        {
            var watch = Stopwatch.StartNew();
            var analyzer = new RunAnalyzer(new RunAnalyzerOptions { EarlyStopping = new EarlyStoppingOptions { Patience = 5 } });
            var sink = new AnalyzerSink(analyzer);
            ExperimentRunner.Run(preset.Spec, sink);
            AnalysisSnapshot s = analyzer.Snapshot();
            string failures = string.Join(",", s.Failures.Where(f => f.Active).Select(f => f.Name));
            Console.WriteLine($"{preset.Name,-28} {s.Pattern.Label,-19} rate {s.Rate.Class,-12} grad {s.Gradients.Status,-10} fail [{failures}] {watch.ElapsedMilliseconds} ms");
            Console.WriteLine("    " + string.Join(" ", s.Pattern.Evidence.Select(kv => $"{kv.Key}={kv.Value:G3}")));
            Console.WriteLine("    rate " + string.Join(" ", s.Rate.Constants.Select(kv => $"{kv.Key}={kv.Value:G3}")) + $" conf={s.Rate.Confidence:G3}; keys: " + string.Join(",", sink.Keys));
            if (s.Gradients.Layers.Count > 0)
            {
                Console.WriteLine($"    grad early/late={s.Gradients.EarlyToLateRatio:G3} " + string.Join(" ", s.Gradients.Layers.Select(l => $"{l.Name}={l.Norm:G3}")));
            }
        }

        return 0;
    }

    /// <summary>Prints every logged point of one preset as CSV (step,key,value) for plotting.</summary>
    public static int Dump(string name)
    {
        ExperimentPreset preset = ExperimentPresets.All.Single(p => p.Name == name);
        var sink = new CsvSink();
        ExperimentRunner.Run(preset.Spec, sink);
        return 0;
    }

    private sealed class CsvSink : IMetricSink
    {
        public void Log(long step, string key, double value) => Console.WriteLine($"{step},{key},{value:R}");
    }

    private sealed class AnalyzerSink(RunAnalyzer analyzer) : IMetricSink
    {
        public SortedSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public void Log(long step, string key, double value)
        {
            Keys.Add(key);
            analyzer.Observe(key, step, value);
        }
    }
}
