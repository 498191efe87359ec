using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

/// <summary>What <see cref="RunAnalyzer.Evaluate"/> reports: held pattern labels, actionable advice, restore-best.</summary>
public sealed class RunAnalyzerVerdictTests
{
    private static IEnumerable<(string Series, long Step, double Value)> Run(int steps, bool overfit = true, int seed = 5)
    {
        var random = new Random(seed);
        for (var t = 1; t <= steps; t++)
        {
            yield return ("loss", t, 0.05 + (2.25 * Math.Exp(-t / 200.0)) + (0.05 * (random.NextDouble() - 0.5)));
            if (t % 100 == 0)
            {
                var rise = overfit ? 0.0004 * Math.Max(0, t - 1000) : 0;
                yield return ("val_loss", t, 0.1 + (2.2 * Math.Exp(-t / 200.0)) + rise);
            }
        }
    }

    /// <summary>Feeds the run, evaluating every 100 points, until an evaluation shows a pending label; returns the points fed and that update.</summary>
    private static (List<(string, long, double)> Points, AnalysisUpdate Update, RunAnalyzer Analyzer) UntilPending(RunAnalyzerOptions options)
    {
        var analyzer = new RunAnalyzer(options);
        var fed = new List<(string, long, double)>();
        foreach (var p in Run(3000))
        {
            analyzer.Observe(p.Series, p.Step, p.Value);
            fed.Add(p);
            if (fed.Count % 100 == 0 && analyzer.Evaluate() is { Snapshot.Pattern.Pending: not null } update)
            {
                return (fed, update, analyzer);
            }
        }

        throw new InvalidOperationException("no pending label");
    }

    [Fact]
    public void Evaluate_shows_the_held_label_while_Snapshot_stays_the_raw_verdict()
    {
        var (_, update, analyzer) = UntilPending(new RunAnalyzerOptions { EarlyStopping = new() { Patience = 50 } });
        var pattern = update.Snapshot.Pattern;
        Assert.NotEqual(pattern.Label, pattern.Pending);
        Assert.DoesNotContain(update.Changes, c => c.Kind == "pattern");
        Assert.Equal(pattern.Pending, analyzer.Snapshot().Pattern.Label);
        Assert.Equal(pattern.Label, analyzer.Advice().Pattern);
        Assert.Equal(pattern.Action, analyzer.Advice().Action);
    }

    [Fact]
    public void Replay_with_the_stored_verdict_gives_the_same_held_label()
    {
        var options = new RunAnalyzerOptions { EarlyStopping = new() { Patience = 50 } };
        var (points, update, _) = UntilPending(options);
        var stored = update.Snapshot;

        var replayed = RunAnalyzer.Replay(points, options, stored);
        var after = replayed.Evaluate();
        Assert.Equal(stored.Pattern.Label, after.Snapshot.Pattern.Label);
        Assert.Equal(stored.Pattern.Pending, after.Snapshot.Pattern.Pending);
        Assert.Empty(after.Changes);
        Assert.Equal(stored.Pattern.Label, replayed.Advice().Pattern);

        // Without the stored verdict there is nothing to hold: a one-shot replay reads the raw verdict.
        Assert.Equal(stored.Pattern.Pending, RunAnalyzer.Replay(points, options).Advice().Pattern);
    }

    [Fact]
    public void A_divergence_is_reported_at_once()
    {
        var analyzer = new RunAnalyzer();
        foreach (var (series, step, value) in Run(1500, overfit: false))
        {
            analyzer.Observe(series, step, value);
            if (step % 100 == 0)
                analyzer.Evaluate();
        }

        Assert.NotEqual("diverging", analyzer.Evaluate().Snapshot.Pattern.Label);
        analyzer.Observe("loss", 1501, double.NaN);
        var update = analyzer.Evaluate();
        Assert.Equal("diverging", update.Snapshot.Pattern.Label);
        Assert.Contains(update.Changes, c => c.Kind == "pattern" && c.To == "diverging");
    }

    [Fact]
    public void Advice_action_is_the_pattern_action_until_a_stop()
    {
        var analyzer = new RunAnalyzer(new RunAnalyzerOptions { EarlyStopping = new() { Patience = 100 } });
        Assert.Equal("keep training", analyzer.Advice().Action);
        Assert.Null(analyzer.Advice().Pattern);
        foreach (var (series, step, value) in Run(800, overfit: false))
            analyzer.Observe(series, step, value);
        var snapshot = analyzer.Evaluate().Snapshot;
        Assert.Equal(snapshot.Pattern.Action, snapshot.Advice.Action);
        Assert.Equal(snapshot.Pattern.Label, analyzer.Advice().Pattern);
    }

    [Theory]
    [InlineData(true, "stop training and restore the weights of step 1 (best val_loss)")]
    [InlineData(false, "stop training (keep the current weights)")]
    public void Stop_advice_names_the_step_to_restore_only_with_restore_best_weights(bool restore, string action)
    {
        var analyzer = new RunAnalyzer(
            new RunAnalyzerOptions
            {
                EarlyStopping = new() { Patience = 2, RestoreBestWeights = restore },
            }
        );
        double[] valLoss = [1.0, 0.8, 0.9, 0.95];
        for (var epoch = 0; epoch < valLoss.Length; epoch++)
            analyzer.Observe("val_loss", epoch, valLoss[epoch]);
        var advice = analyzer.Advice();
        Assert.True(advice.ShouldStop);
        Assert.Equal(1, advice.BestStep);
        Assert.Equal(action, advice.Action);
        Assert.Equal(action, analyzer.Evaluate().Snapshot.Advice.Action);
    }

    [Fact]
    public void Without_any_improvement_Keras_restores_the_first_evaluated_step()
    {
        // Keras keeps the first evaluated epoch's weights as the best when no epoch improves (NaN never does).
        var analyzer = new RunAnalyzer(
            new RunAnalyzerOptions
            {
                EarlyStopping = new()
                {
                    Patience = 1,
                    CheckFinite = false,
                    StartFromEpoch = 1,
                    RestoreBestWeights = true,
                },
            }
        );
        analyzer.Observe("val_loss", 10, 1.0);
        analyzer.Observe("val_loss", 20, double.NaN);
        analyzer.Observe("val_loss", 30, double.NaN);
        var advice = analyzer.Advice();
        Assert.True(advice.ShouldStop);
        Assert.Null(advice.BestStep);
        Assert.Equal("stop training and restore the weights of step 20 (the first val_loss evaluation; none improved)", advice.Action);
    }
}
