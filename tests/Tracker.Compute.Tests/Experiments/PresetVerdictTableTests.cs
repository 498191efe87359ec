using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Tests.Experiments;

/// <summary>Every reference experiment, run through the real runner and the server's analyzers, gets the verdict theory
/// predicts for it (its <see cref="PresetExpectation"/>); docs/analysis-verdicts.md is that table.</summary>
public sealed class PresetVerdictTableTests
{
    public static TheoryData<string> Presets()
    {
        var data = new TheoryData<string>();
        foreach (var p in ExperimentPresets.All)
        {
            data.Add(p.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Preset_gets_the_verdict_theory_predicts(string name)
    {
        var preset = ExperimentPresets.All.Single(p => p.Name == name);
        var runs = PresetVerdicts.Observe(preset);
        Assert.NotEmpty(runs);
        for (var i = 0; i < runs.Count; i++)
        {
            var problems = PresetVerdicts.Mismatches(preset.Expected, runs[i]);
            var evidence = string.Join(" ", runs[i].Snapshot.Pattern.Evidence.Select(kv => $"{kv.Key}={kv.Value:G3}"));
            Assert.True(
                problems.Count == 0,
                $"{name} (run {i + 1} of {runs.Count}): {string.Join("; ", problems)} (why expected: {preset.Expected.Why}; evidence: {evidence})"
            );
        }
    }

    [Fact]
    public void Every_preset_has_a_row_and_the_docs_are_the_table()
    {
        Assert.All(ExperimentPresets.All, p => Assert.False(string.IsNullOrWhiteSpace(p.Expected.Why), p.Name));
        var expected = PresetVerdicts.Markdown(ExperimentPresets.All);
        var path = Path.Combine(RepositoryRoot(), "docs", "analysis-verdicts.md");
        if (Environment.GetEnvironmentVariable("TRACKER_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run with TRACKER_UPDATE_DOCS=1");
        Assert.Equal(expected, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Tracker.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("Tracker.sln not found above " + AppContext.BaseDirectory);
    }
}
