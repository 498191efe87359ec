using System.Text.Json;
using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

/// <summary>Keras' EarlyStopping keys that are not thresholds: restore_best_weights and verbose.</summary>
public sealed class AnalysisConfigKerasTests
{
    private static RunAnalyzerOptions Apply(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return AnalysisConfig.Apply(new RunAnalyzerOptions(), doc.RootElement);
    }

    [Fact]
    public void Restore_best_weights_and_verbose_are_accepted()
    {
        var o = Apply("""{"monitor": "val_loss", "patience": 3, "restore_best_weights": true, "verbose": 1}""");
        Assert.True(o.EarlyStopping.RestoreBestWeights);
        Assert.Equal(3, o.EarlyStopping.Patience);
        Assert.False(Apply("""{"restore_best_weights": false, "verbose": 0}""").EarlyStopping.RestoreBestWeights);
        Assert.False(Apply("""{"verbose": true}""").EarlyStopping.RestoreBestWeights);
        Assert.False(new RunAnalyzerOptions().EarlyStopping.RestoreBestWeights);
    }

    [Fact]
    public void Num_classes_sets_the_chance_level_hint()
    {
        Assert.Equal(10, Apply("""{"num_classes": 10}""").NumClasses);
        Assert.Null(Apply("""{"num_classes": null}""").NumClasses);
        Assert.Null(new RunAnalyzerOptions().NumClasses);
    }

    [Theory]
    [InlineData("""{"num_classes": 1}""", "num_classes")]
    [InlineData("""{"num_classes": 2.5}""", "num_classes")]
    [InlineData("""{"restore_best_weights": 1}""", "restore_best_weights")]
    [InlineData("""{"restore_best_weights": "yes"}""", "restore_best_weights")]
    [InlineData("""{"verbose": "loud"}""", "verbose")]
    [InlineData("""{"verbose": -1}""", "verbose")]
    [InlineData("""{"verbose": 1.5}""", "verbose")]
    public void Wrong_types_are_rejected_naming_the_key(string json, string key)
    {
        var e = Assert.Throws<ArgumentException>(() => Apply(json));
        Assert.Contains($"tracker.analysis.{key}", e.Message, StringComparison.Ordinal);
    }
}
