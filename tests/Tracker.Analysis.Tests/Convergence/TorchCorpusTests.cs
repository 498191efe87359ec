using System.Text.Json;
using System.Text.Json.Serialization;
using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

/// <summary>
/// The classifier on learning curves from real PyTorch training (data/curves-torch, built by
/// bench/curves-torch/generate.py): a development set and a frozen holdout from other recipe families.
/// </summary>
public sealed class TorchCorpusTests
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static readonly string[] Labels =
    [
        "healthy_convergence",
        "overfitting",
        "underfitting",
        "oscillating",
        "slow_progress",
        "diverging",
        "still_improving",
        "insufficient_data",
    ];

    [Theory]
    [InlineData("dev.jsonl", 15, 15)]
    [InlineData("holdout.jsonl", 25, 10)]
    public void Torch_corpus_is_well_formed(string file, int minPerLabel, int minInsufficient)
    {
        var counts = new Dictionary<string, int>();
        var ids = new HashSet<string>();
        foreach (var curve in Load(file))
        {
            var id = curve.GetProperty("id").GetString()!;
            Assert.True(ids.Add(id), $"duplicate id {id}");
            var label = curve.GetProperty("label").GetString()!;
            Assert.Contains(label, Labels);
            Assert.False(string.IsNullOrWhiteSpace(curve.GetProperty("family").GetString()), id);
            Assert.False(string.IsNullOrWhiteSpace(curve.GetProperty("spec").GetString()), id);
            Assert.Equal(JsonValueKind.Object, curve.GetProperty("rule").ValueKind);
            Assert.True(curve.GetProperty("stride").GetInt32() >= 1, id);
            long[] lossSteps = Steps(curve.GetProperty("loss_steps")),
                valSteps = Steps(curve.GetProperty("val_steps"));
            double[] loss = Values(curve.GetProperty("loss")),
                val = Values(curve.GetProperty("val_loss"));
            Assert.Equal(lossSteps.Length, loss.Length);
            Assert.Equal(valSteps.Length, val.Length);
            Assert.True(loss.Length is > 0 and <= 401, $"{id}: {loss.Length} loss points");
            Assert.True(IsIncreasing(lossSteps), $"{id}: loss steps not increasing");
            Assert.True(IsIncreasing(valSteps), $"{id}: val steps not increasing");
            counts[label] = counts.GetValueOrDefault(label) + 1;
        }

        foreach (var label in Labels)
        {
            var min = label == "insufficient_data" ? minInsufficient : minPerLabel;
            Assert.True(counts.GetValueOrDefault(label) >= min, $"{file} {label}: {counts.GetValueOrDefault(label)} curves, want at least {min}");
        }
    }

    /// <summary>The dev set (tuned on) must reach the 90 % target on every label. The frozen holdout (never tuned on) is held
    /// at what it measured when it was first scored (2026-12-02: 200/209; oscillating 25/29 and still_improving 26/30 are
    /// under the 90 % target, every other label at or above it): at least 85 % per label and 90 % overall, so a change
    /// that loses ground on curves nobody tuned for fails here.</summary>
    [Theory]
    [InlineData("dev.jsonl", 15, 15, 0.9, 0.9)]
    [InlineData("holdout.jsonl", 25, 10, 0.85, 0.9)]
    public void Torch_corpus_is_classified_right_per_label(string file, int minPerLabel, int minInsufficient, double perLabelFloor, double overallFloor)
    {
        var perLabel = new Dictionary<string, (int Right, int Total)>();
        var misses = new List<string>();
        foreach (var curve in Load(file))
        {
            var label = curve.GetProperty("label").GetString()!;
            var got = Classify(curve);
            var (r, t) = perLabel.GetValueOrDefault(label);
            perLabel[label] = (r + (got == label ? 1 : 0), t + 1);
            if (got != label)
            {
                misses.Add($"{curve.GetProperty("id").GetString()}: {label} -> {got}");
            }
        }

        var summary = string.Join(", ", Labels.Select(l => $"{l} {perLabel.GetValueOrDefault(l).Right}/{perLabel.GetValueOrDefault(l).Total}"));
        var failures = new List<string>();
        foreach (var label in Labels)
        {
            var (r, t) = perLabel.GetValueOrDefault(label);
            var min = label == "insufficient_data" ? minInsufficient : minPerLabel;
            if (t < min)
            {
                failures.Add($"{label}: only {t} curves (want {min})");
            }
            else if (r < perLabelFloor * t)
            {
                failures.Add($"{label}: {r}/{t} right");
            }
        }

        int right = perLabel.Values.Sum(v => v.Right),
            total = perLabel.Values.Sum(v => v.Total);
        if (right < overallFloor * total)
        {
            failures.Add($"overall {right}/{total} right");
        }

        Assert.True(failures.Count == 0, $"{file}: {string.Join("; ", failures)}\nper label: {summary}\nmisses:\n  {string.Join("\n  ", misses)}");
    }

    /// <summary>Feeds loss and val_loss interleaved by step (loss first within a step), as the server receives them.</summary>
    private static string Classify(JsonElement curve)
    {
        double[] loss = Values(curve.GetProperty("loss")),
            val = Values(curve.GetProperty("val_loss"));
        long[] lossSteps = Steps(curve.GetProperty("loss_steps")),
            valSteps = Steps(curve.GetProperty("val_steps"));
        var analyzer = new RunAnalyzer();
        int i = 0,
            j = 0;
        while (i < lossSteps.Length || j < valSteps.Length)
        {
            if (j >= valSteps.Length || (i < lossSteps.Length && lossSteps[i] <= valSteps[j]))
            {
                analyzer.Observe("loss", lossSteps[i], loss[i]);
                i++;
            }
            else
            {
                analyzer.Observe("val_loss", valSteps[j], val[j]);
                j++;
            }
        }

        return analyzer.Snapshot().Pattern.Label;
    }

    private static bool IsIncreasing(long[] steps)
    {
        for (var k = 1; k < steps.Length; k++)
        {
            if (steps[k] <= steps[k - 1])
            {
                return false;
            }
        }

        return true;
    }

    private static List<JsonElement> Load(string file)
    {
        var path = Path.Combine(RepoRoot(), "data", "curves-torch", file);
        return [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    private static double[] Values(JsonElement array) => array.Deserialize<double[]>(Json)!;

    private static long[] Steps(JsonElement array) => array.Deserialize<long[]>()!;

    private static string RepoRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Tracker.sln")))
            {
                return d.FullName;
            }
        }

        throw new FileNotFoundException("Tracker.sln not found above " + AppContext.BaseDirectory);
    }
}
