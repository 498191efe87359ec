using System.Diagnostics;
using System.Globalization;
using Tracker.Analysis.Convergence;
using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;

namespace Tracker.Bench.Curves;

/// <summary>Runs every catalog preset (each combination of a sweep preset) through the runner and a fresh <see cref="RunAnalyzer"/> (patience 5, the experiment's analysis hints) and prints its verdicts next to its expectation row and the curve's own numbers.</summary>
internal static class PresetProbe
{
    public static int Run(string filter)
    {
        int rows = 0,
            agree = 0;
        foreach (var preset in ExperimentPresets.All.Where(p => p.Name.Contains(filter, StringComparison.Ordinal)))
        {
            var specs = ExperimentSweep.Expand(preset.Spec);
            for (var i = 0; i < specs.Count; i++)
            {
                var spec = specs[i];
                var watch = Stopwatch.StartNew();
                var hints = AnalysisHints.For(spec);
                var analyzer = new RunAnalyzer(hints.ApplyTo(new RunAnalyzerOptions { EarlyStopping = new EarlyStoppingOptions { Patience = 5 } }));
                var sink = new AnalyzerSink(analyzer);
                ExperimentRunner.Run(spec, sink);
                var s = analyzer.Snapshot();
                string[] failures = [.. s.Failures.Where(f => f.Active).Select(f => f.Name)];
                var e = preset.Expected;
                var rate = s.Rate.Class;
                var ok =
                    s.Pattern.Label == e.Pattern
                    && (e.Rate is null || e.Rate == rate)
                    && s.Gradients.Status == e.Gradients
                    && failures.Order(StringComparer.Ordinal).SequenceEqual(e.Failures.Order(StringComparer.Ordinal));
                rows++;
                agree += ok ? 1 : 0;
                var name = specs.Count > 1 ? $"{preset.Name}[{i}]" : preset.Name;
                Console.WriteLine(
                    $"{(ok ? "OK  " : "MISS")} {name, -34} got {s.Pattern.Label}/{rate}/{s.Gradients.Status}/[{string.Join(",", failures)}]"
                        + $"  expected {e.Pattern}/{e.Rate ?? "-"}/{e.Gradients}/[{string.Join(",", e.Failures)}]  {watch.ElapsedMilliseconds} ms"
                );
                Console.WriteLine(
                    "    curve " + sink.Describe() + (hints.OptimalLoss is { } f ? $" f*={f:G6}" : "") + (hints.NumClasses is { } k ? $" K={k}" : "")
                );
                Console.WriteLine("    pattern " + string.Join(" ", s.Pattern.Evidence.Select(kv => $"{kv.Key}={kv.Value:G3}")));
                Console.WriteLine(
                    "    rate "
                        + string.Join(" ", s.Rate.Constants.Select(kv => $"{kv.Key}={kv.Value:G3}"))
                        + $" conf={s.Rate.Confidence:G3}; keys: "
                        + string.Join(",", sink.Keys)
                );
                if (s.Gradients.Layers.Count > 0)
                {
                    Console.WriteLine(
                        $"    grad early/late={s.Gradients.EarlyToLateRatio:G3} " + string.Join(" ", s.Gradients.Layers.Select(l => $"{l.Name}={l.Norm:G3}"))
                    );
                }
            }
        }

        Console.WriteLine($"{agree}/{rows} rows agree with their expectation");
        return 0;
    }

    /// <summary>Prints every logged point of one preset (its first combination) as CSV (step,key,value) for plotting.</summary>
    public static int Dump(string name)
    {
        var preset = ExperimentPresets.All.Single(p => p.Name == name);
        ExperimentRunner.Run(ExperimentSweep.Expand(preset.Spec)[0], new CsvSink());
        return 0;
    }

    private sealed class CsvSink : IMetricSink
    {
        public void Log(long step, string key, double value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{step},{key},{value:R}"));
    }

    private sealed class AnalyzerSink(RunAnalyzer analyzer) : IMetricSink
    {
        private readonly List<(long Step, double Value)> _loss = [];
        private readonly List<(long Step, double Value)> _validation = [];

        public SortedSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public void Log(long step, string key, double value)
        {
            Keys.Add(key);
            if (key == "loss")
            {
                _loss.Add((step, value));
            }
            else if (key == "val_loss")
            {
                _validation.Add((step, value));
            }

            analyzer.Observe(key, step, value);
        }

        /// <summary>The loss curve's own numbers: points, first, last, min, share of the initial loss removed, and how much of the total drop the last quarter made.</summary>
        public string Describe()
        {
            if (_loss.Count < 2)
            {
                return $"points={_loss.Count}";
            }

            double first = _loss[0].Value,
                last = _loss[^1].Value,
                min = _loss.Min(p => p.Value);
            var quarter = _loss[(int)(0.75 * (_loss.Count - 1))].Value;
            var drop = first - last;
            var half = _loss.Skip(_loss.Count / 2).Select(p => p.Value).ToArray();
            var text = string.Create(
                CultureInfo.InvariantCulture,
                $"points={_loss.Count} first={first:G4} last={last:G4} min={min:G4} removed={(first == 0 ? 0 : drop / Math.Abs(first)):P1} last_quarter_share={(drop == 0 ? 0 : (quarter - last) / drop):P1} second_half=[{half.Min():G3}, {half.Max():G3}] mean {half.Average():G3}"
            );
            if (_validation.Count > 1)
            {
                var best = _validation.MinBy(p => p.Value);
                text += string.Create(
                    CultureInfo.InvariantCulture,
                    $" val first={_validation[0].Value:G4} min={best.Value:G4}@{best.Step} last={_validation[^1].Value:G4}"
                );
            }

            return text;
        }
    }
}
