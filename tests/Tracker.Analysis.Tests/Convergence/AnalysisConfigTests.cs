using System.Text.Json;
using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class AnalysisConfigTests
{
    private static RunAnalyzerOptions Apply(string json, RunAnalyzerOptions? over = null)
    {
        using var doc = JsonDocument.Parse(json);
        return AnalysisConfig.Apply(over ?? new RunAnalyzerOptions(), doc.RootElement);
    }

    [Fact]
    public void Issue_example_configuration_is_read()
    {
        var o = Apply(
            """{"monitor": "val_loss", "mode": "min", "patience": 5, "min_delta": 0.001, "baseline": null, "start_from_epoch": 0, "stopping_threshold": null, "divergence_threshold": null, "check_finite": true, "strategy": "patience"}"""
        );
        var es = o.EarlyStopping;
        Assert.Equal("val_loss", es.Monitor);
        Assert.Equal(MetricMode.Min, es.Mode);
        Assert.Equal(5, es.Patience);
        Assert.Equal(0.001, es.MinDelta);
        Assert.Null(es.Baseline);
        Assert.True(es.CheckFinite);
        Assert.Equal(StoppingStrategy.Patience, es.Strategy);
    }

    [Fact]
    public void Later_layers_override_earlier_ones()
    {
        var project = Apply("""{"patience": 3, "strategy": "pq", "alpha": 0.75, "k": 4}""");
        var run = Apply("""{"patience": 7, "alpha": null}""", project);
        Assert.Equal(7, run.EarlyStopping.Patience);
        Assert.Equal(StoppingStrategy.ProgressQuotient, run.EarlyStopping.Strategy);
        Assert.Null(run.EarlyStopping.Alpha);
        Assert.Equal(4, run.EarlyStopping.StripLength);
    }

    [Theory]
    [InlineData("""{"patiance": 3}""")]
    [InlineData("""{"patience": -1}""")]
    [InlineData("""{"patience": "3"}""")]
    [InlineData("""{"strategy": "sometimes"}""")]
    [InlineData("""{"check_finite": 1}""")]
    [InlineData("""[1, 2]""")]
    public void Bad_configuration_is_rejected_with_the_key(string json)
    {
        Assert.Throws<ArgumentException>(() => Apply(json));
    }

    [Fact]
    public void Null_configuration_keeps_the_defaults()
    {
        Assert.Equal(new RunAnalyzerOptions().EarlyStopping, Apply("null").EarlyStopping);
    }

    [Fact]
    public void Criteria_thresholds_are_configurable()
    {
        var o = Apply("""{"plateau_threshold": 1e-3, "gradient_threshold": 0.01, "validation_patience": 2, "criteria_window": 1}""");
        Assert.Equal(1e-3, o.Criteria.PlateauThreshold);
        Assert.Equal(0.01, o.Criteria.GradientThreshold);
        Assert.Equal(2, o.Criteria.ValidationPatience);
        Assert.Equal(1, o.Criteria.Window);
        Assert.Equal(1e-7, o.Criteria.ParameterThreshold);
        var snapshot = new RunAnalyzer(o).Snapshot();
        Assert.Equal(1e-3, snapshot.Criteria.Single(c => c.Name == "loss_plateau").Threshold);
    }
}
