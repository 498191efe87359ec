using System.Text.Json;
using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class RunAnalyzerTests
{
    /// <summary>A plausible run: loss every step, val_loss every 100 steps, gradient norms and lr.</summary>
    private static IEnumerable<(string Series, long Step, double Value)> Run(int steps, bool overfit = false, int seed = 5)
    {
        var random = new Random(seed);
        for (var t = 1; t <= steps; t++)
        {
            var noise = 0.05 * (random.NextDouble() - 0.5);
            yield return ("loss", t, 0.05 + (2.25 * Math.Exp(-t / 200.0)) + noise);
            yield return ("lr", t, 0.1);
            yield return ("grad_norm/conv1", t, 0.5 + noise);
            yield return ("grad_norm/conv2", t, 0.8 + noise);
            yield return ("grad_norm/fc", t, 1.0 + noise);
            yield return ("grad_norm/total", t, 1.5 + noise);
            if (t % 100 == 0)
            {
                var rise = overfit ? 0.0004 * Math.Max(0, t - 1000) : 0;
                yield return ("val_loss", t, 0.1 + (2.2 * Math.Exp(-t / 200.0)) + rise);
            }
        }
    }

    private static RunAnalyzer Feed(IEnumerable<(string Series, long Step, double Value)> points, RunAnalyzerOptions? options = null)
    {
        var analyzer = new RunAnalyzer(options);
        foreach (var (series, step, value) in points)
        {
            analyzer.Observe(series, step, value);
        }

        return analyzer;
    }

    [Fact]
    public void Snapshot_has_the_api_shape_and_serializes_to_json()
    {
        var snapshot = Feed(Run(3000)).Snapshot();
        var json = JsonSerializer.Serialize(snapshot, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("healthy_convergence", root.GetProperty("pattern").GetProperty("label").GetString());
        Assert.Equal("training can be stopped", root.GetProperty("pattern").GetProperty("action").GetString());
        Assert.Equal("val_loss", root.GetProperty("advice").GetProperty("monitor").GetString());
        Assert.Equal("patience", root.GetProperty("advice").GetProperty("strategy").GetString());
        Assert.Equal(5, root.GetProperty("criteria").GetArrayLength());
        Assert.Equal("loss_plateau", root.GetProperty("criteria")[0].GetProperty("name").GetString());
        Assert.Equal("linear", root.GetProperty("rate").GetProperty("class").GetString());
        Assert.Equal("healthy", root.GetProperty("gradients").GetProperty("status").GetString());
        Assert.Equal(4, root.GetProperty("gradients").GetProperty("layers").GetArrayLength());
    }

    [Fact]
    public void Keras_defaults_stop_on_the_first_validation_non_improvement()
    {
        // val_loss falls for 100 evaluations then rises: patience 0 stops at the first rise.
        var analyzer = new RunAnalyzer();
        for (var e = 1; e <= 12; e++)
        {
            analyzer.Observe("val_loss", e * 100, e <= 10 ? 1.0 / e : 0.2);
        }

        var advice = analyzer.Advice();
        Assert.True(advice.ShouldStop);
        Assert.Equal(1000, advice.BestStep);
        Assert.Equal(0.1, advice.BestValue);
        Assert.Equal("val_loss did not improve for 1 evaluation; best 0.1 at step 1000", advice.Reason);
    }

    [Fact]
    public void Configured_patience_and_strategy_reach_the_advisor()
    {
        var options = new RunAnalyzerOptions
        {
            EarlyStopping = new()
            {
                Patience = 5,
                Strategy = StoppingStrategy.GeneralizationLoss,
                Alpha = 5,
            },
        };
        var analyzer = new RunAnalyzer(options);
        analyzer.Observe("val_loss", 100, 1.0);
        analyzer.Observe("val_loss", 200, 1.04);
        Assert.False(analyzer.Advice().ShouldStop);
        analyzer.Observe("val_loss", 300, 1.06);
        Assert.True(analyzer.Advice().ShouldStop);
        Assert.Equal("gl", analyzer.Advice().Strategy);
    }

    [Fact]
    public void Evaluate_reports_each_change_once()
    {
        var analyzer = new RunAnalyzer(new RunAnalyzerOptions { EarlyStopping = new() { Patience = 3 } });
        var changes = new List<VerdictChange>();
        var batch = 0;
        foreach (var (series, step, value) in Run(3000, overfit: true))
        {
            analyzer.Observe(series, step, value);
            if (++batch % 500 == 0)
            {
                changes.AddRange(analyzer.Evaluate().Changes);
            }
        }

        changes.AddRange(analyzer.Evaluate().Changes);
        Assert.Single(changes, c => c.Kind == "advice" && c.To == "stop");
        Assert.Single(changes, c => c.Kind == "gradients" && c.To == "healthy");
        Assert.Contains(changes, c => c.Kind == "pattern" && c.To == "overfitting");
        Assert.Empty(analyzer.Evaluate().Changes);
    }

    [Fact]
    public void Replayed_state_equals_live_state()
    {
        var points = Run(2000, overfit: true).ToList();
        var live = Feed(points);
        var replayed = RunAnalyzer.Replay(points);
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.Equal(JsonSerializer.Serialize(live.Snapshot(), web), JsonSerializer.Serialize(replayed.Snapshot(), web));
        Assert.Empty(replayed.Evaluate().Changes);
    }

    [Fact]
    public void Replaying_the_same_points_twice_is_harmless()
    {
        var points = Run(1500).ToList();
        var once = Feed(points);
        var twice = Feed(points.Concat(points));
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var a = JsonSerializer.Serialize(once.Snapshot() with { Points = 0 }, web);
        var b = JsonSerializer.Serialize(twice.Snapshot() with { Points = 0 }, web);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Nan_loss_makes_the_pattern_diverging_and_snapshot_stays_serializable()
    {
        var analyzer = Feed(Run(300).Append(("loss", 301, double.NaN)).Append(("val_loss", 400, double.NaN)));
        var update = analyzer.Evaluate();
        Assert.Equal("diverging", update.Snapshot.Pattern.Label);
        Assert.True(update.Snapshot.Advice.ShouldStop);
        Assert.Contains(update.Changes, c => c.Kind == "advice");
        _ = JsonSerializer.Serialize(update.Snapshot);
    }

    [Fact]
    public void Empty_run_is_insufficient_data_with_no_changes()
    {
        var update = new RunAnalyzer().Evaluate();
        Assert.Equal("insufficient_data", update.Snapshot.Pattern.Label);
        Assert.Equal("unknown", update.Snapshot.Rate.Class);
        Assert.Equal("unknown", update.Snapshot.Gradients.Status);
        Assert.Empty(update.Changes);
        Assert.Equal("no val_loss evaluations yet", update.Snapshot.Advice.Reason);
    }

    [Fact]
    public void Observe_does_not_allocate()
    {
        var analyzer = Feed(Run(50));
        string[] series = ["loss", "lr", "grad_norm/conv1", "grad_norm/conv2", "grad_norm/fc", "grad_norm/total", "val_loss", "param_delta_norm", "other"];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var t = 51; t < 20_000; t++)
        {
            foreach (var s in series)
            {
                analyzer.Observe(s, t, 1.0 / t);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Validation_every_k_steps_arriving_after_later_training_points_is_accepted()
    {
        // The script logs val_loss every 50 steps but the batch carries it after the loss points.
        var analyzer = new RunAnalyzer(new RunAnalyzerOptions { EarlyStopping = new() { Patience = 1 } });
        double[] val = [1.0, 0.8, 0.7, 0.75, 0.72];
        for (var e = 0; e < val.Length; e++)
        {
            for (var t = (e * 50) + 1; t <= (e + 1) * 50; t++)
            {
                analyzer.Observe("loss", t, 1.0 / t);
            }

            analyzer.Observe("val_loss", (e + 1) * 50, val[e]);
        }

        var advice = analyzer.Advice();
        Assert.True(advice.ShouldStop);
        Assert.Equal(150, advice.BestStep);
        Assert.Equal(5, analyzer.Advisor.Evaluations);
    }

    [Fact]
    public void Huge_values_are_handled_without_overflow()
    {
        var analyzer = new RunAnalyzer();
        for (var t = 1; t <= 500; t++)
        {
            analyzer.Observe("loss", t, 1e300 * (0.1 + Math.Exp(-t / 50.0)));
            analyzer.Observe("val_loss", t, 1e300 / t);
        }

        var snapshot = analyzer.Snapshot();
        Assert.False(snapshot.Advice.ShouldStop);
        Assert.Equal("healthy_convergence", snapshot.Pattern.Label);
        _ = JsonSerializer.Serialize(snapshot);
    }

    [Fact]
    public void Single_point_gives_a_complete_snapshot()
    {
        var analyzer = new RunAnalyzer();
        analyzer.Observe("loss", 0, 2.3);
        var snapshot = analyzer.Snapshot();
        Assert.Equal("insufficient_data", snapshot.Pattern.Label);
        Assert.Equal("unknown", snapshot.Rate.Class);
        Assert.All(snapshot.Criteria, c => Assert.False(c.Met));
        Assert.Equal(0, snapshot.LastStep);
    }

    [Fact]
    public void Newly_met_criterion_is_reported_in_plain_words()
    {
        var analyzer = new RunAnalyzer(new RunAnalyzerOptions { EarlyStopping = new() { Patience = 100 } });
        analyzer.Observe("val_loss", 100, 0.5);
        for (var e = 2; e <= 6; e++)
        {
            analyzer.Observe("val_loss", e * 100, 0.6);
        }

        var change = Assert.Single(analyzer.Evaluate().Changes, c => c.Kind == "criterion");
        Assert.Equal("validation_patience met on val_loss: 5 evaluations without improvement (N = 5)", change.Message);
    }
}
