using System.Globalization;
using System.Text;
using Tracker.Analysis.Convergence;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Experiments;

/// <summary>What the server's analyzers say about a preset: its run fed point by point to a fresh <see cref="RunAnalyzer"/>.</summary>
/// <param name="Pattern">The learning-curve pattern label.</param>
/// <param name="Rate">The convergence-rate class.</param>
/// <param name="Failures">The failure modes active at the end of the run.</param>
/// <param name="Gradients">The gradient-health status.</param>
/// <param name="Snapshot">The full analysis snapshot.</param>
public sealed record PresetVerdict(string Pattern, string Rate, IReadOnlyList<string> Failures, string Gradients, AnalysisSnapshot Snapshot);

/// <summary>The verdict table of the reference experiments: runs a preset through the real runner and analyzers, compares the
/// result with the preset's <see cref="PresetExpectation"/>, and renders the table for <c>docs/analysis-verdicts.md</c>.</summary>
public static class PresetVerdicts
{
    /// <summary>The early-stopping patience the table is read with (the hosted experiments' default).</summary>
    public const int Patience = 5;

    /// <summary>The analyzer options of a preset's run: patience 5 and the analysis hints the launcher writes into its config.</summary>
    public static RunAnalyzerOptions Options(ExperimentSpec spec) =>
        AnalysisHints.For(spec).ApplyTo(new RunAnalyzerOptions { EarlyStopping = new EarlyStoppingOptions { Patience = Patience } });

    /// <summary>Runs the preset (every combination of a sweep preset) and returns what the analyzers say at the end of each run.</summary>
    public static IReadOnlyList<PresetVerdict> Observe(ExperimentPreset preset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var verdicts = new List<PresetVerdict>();
        foreach (var spec in ExperimentSweep.Expand(preset.Spec))
        {
            var analyzer = new RunAnalyzer(Options(spec));
            ExperimentRunner.Run(spec, new AnalyzerSink(analyzer), cancellationToken);
            var s = analyzer.Snapshot();
            verdicts.Add(
                new PresetVerdict(
                    s.Pattern.Label,
                    s.Rate.Class,
                    [.. s.Failures.Where(f => f.Active).Select(f => f.Name).Order(StringComparer.Ordinal)],
                    s.Gradients.Status,
                    s
                )
            );
        }

        return verdicts;
    }

    /// <summary>Where the observed verdict contradicts the expected one (empty when it agrees). A null expected rate only
    /// forbids a claim faster than linear (a stochastic run settles in a noise band: no rate is predicted).</summary>
    public static IReadOnlyList<string> Mismatches(PresetExpectation expected, PresetVerdict observed)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(observed);
        var problems = new List<string>();
        if (observed.Pattern != expected.Pattern)
        {
            problems.Add($"pattern {observed.Pattern}, expected {expected.Pattern}");
        }

        if (expected.Rate is string rate ? observed.Rate != rate : observed.Rate is "superlinear" or "quadratic")
        {
            problems.Add($"rate {observed.Rate}, expected {expected.Rate ?? "no claim faster than linear"}");
        }

        if (observed.Gradients != expected.Gradients)
        {
            problems.Add($"gradients {observed.Gradients}, expected {expected.Gradients}");
        }

        string[] failures = [.. expected.Failures.Order(StringComparer.Ordinal)];
        if (!failures.SequenceEqual(observed.Failures, StringComparer.Ordinal))
        {
            problems.Add($"failures [{string.Join(", ", observed.Failures)}], expected [{string.Join(", ", failures)}]");
        }

        return problems;
    }

    /// <summary>The Markdown of <c>docs/analysis-verdicts.md</c>: one row per preset with its expected verdict and the theory behind it.</summary>
    public static string Markdown(IEnumerable<ExperimentPreset> presets)
    {
        ArgumentNullException.ThrowIfNull(presets);
        var text = new StringBuilder();
        text.Append(
            CultureInfo.InvariantCulture,
            $"""
            # Verdict table of the reference experiments

            Generated from `ExperimentPresets` (each preset's `Expect` row, written from the seed and optimization theory before
            any tuning) by `tests/Tracker.Compute.Tests/Experiments/PresetVerdictTableTests.cs`, which also runs every preset
            through the real runner and a fresh `RunAnalyzer` (patience {Patience}, with the analysis hints the launcher writes into
            the run's `tracker.analysis`: `optimal_loss`, `num_classes`) and asserts its row. Regenerate with
            `TRACKER_UPDATE_DOCS=1 dotnet test tests/Tracker.Compute.Tests --filter PresetVerdictTable`.

            A rate of "—" means no rate is predicted (a stochastic run that settles in a noise band); the test then only forbids a
            superlinear or quadratic claim. Failure modes are those active at the end of the run.

            | preset | pattern | rate | failure modes | gradients | why |
            |---|---|---|---|---|---|

            """
        );
        foreach (var p in presets)
        {
            var e = p.Expected;
            var failures = e.Failures.Count == 0 ? "none" : string.Join(", ", e.Failures.Select(f => $"`{f}`"));
            text.Append(
                CultureInfo.InvariantCulture,
                $"| `{p.Name}` | `{e.Pattern}` | {(e.Rate is null ? "—" : $"`{e.Rate}`")} | {failures} | `{e.Gradients}` | {e.Why.Replace("|", "\\|", StringComparison.Ordinal)} |\n"
            );
        }

        return text.ToString();
    }

    private sealed class AnalyzerSink(RunAnalyzer analyzer) : IMetricSink
    {
        public void Log(long step, string key, double value) => analyzer.Observe(key, step, value);
    }
}
