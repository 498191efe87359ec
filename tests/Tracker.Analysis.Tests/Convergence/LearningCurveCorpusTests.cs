using System.Text.Json;
using System.Text.Json.Serialization;
using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

/// <summary>The classifier on the labeled corpus of real training runs (data/curves, built by bench/Tracker.Bench.Curves).</summary>
public sealed class LearningCurveCorpusTests
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public void Corpus_of_real_runs_is_classified_at_least_ninety_percent_right()
    {
        var path = CorpusPath();
        var curves = File.ReadAllLines(path)
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l, new JsonDocumentOptions()).RootElement.Clone())
            .ToList();
        Assert.True(curves.Count >= 100, $"corpus has {curves.Count} curves");
        var right = 0;
        var perLabel = new Dictionary<string, (int Right, int Total)>();
        var misses = new List<string>();
        foreach (var curve in curves)
        {
            var label = curve.GetProperty("label").GetString()!;
            var got = Classify(curve);
            var (r, t) = perLabel.GetValueOrDefault(label);
            perLabel[label] = (r + (got == label ? 1 : 0), t + 1);
            if (got == label)
            {
                right++;
            }
            else
            {
                misses.Add($"{curve.GetProperty("id").GetString()}: {label} -> {got}");
            }
        }

        Assert.True(right >= 0.9 * curves.Count, $"{right}/{curves.Count} right; misses: {string.Join("; ", misses)}");

        // Every label, each with at least 9 curves (oscillating: 33).
        foreach (
            var label in new[]
            {
                "healthy_convergence",
                "overfitting",
                "underfitting",
                "oscillating",
                "slow_progress",
                "diverging",
                "still_improving",
                "insufficient_data",
            }
        )
        {
            var (r, t) = perLabel[label];
            Assert.True(t >= 9, $"{label}: only {t} curves");
            Assert.True(r >= 0.9 * t, $"{label}: {r}/{t} right; misses: {string.Join("; ", misses)}");
        }
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

    private static double[] Values(JsonElement array) => array.Deserialize<double[]>(Json)!;

    private static long[] Steps(JsonElement array) => array.Deserialize<long[]>()!;

    private static string CorpusPath()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "data", "curves", "corpus.jsonl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("data/curves/corpus.jsonl not found above " + AppContext.BaseDirectory);
    }
}
