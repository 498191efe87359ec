using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class EarlyStoppingAdvisorTests
{
    // Keras without Lightning's extras: check_finite off, no thresholds.
    private static EarlyStoppingOptions Keras => new() { CheckFinite = false };

    /// <summary>Feeds values at steps 100, 200, …; returns the 0-based evaluation that stopped, or -1.</summary>
    private static int Run(EarlyStoppingAdvisor advisor, params double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (advisor.Observe((i + 1) * 100, values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    [Fact]
    public void Keras_defaults_are_val_loss_min_delta_zero_patience_zero_auto()
    {
        var o = new EarlyStoppingOptions();
        Assert.Equal("val_loss", o.Monitor);
        Assert.Equal(0, o.MinDelta);
        Assert.Equal(0, o.Patience);
        Assert.Equal(MetricMode.Auto, o.Mode);
        Assert.Null(o.Baseline);
        Assert.Equal(0, o.StartFromEpoch);
        Assert.Equal(MetricMode.Min, new EarlyStoppingAdvisor(o).ResolvedMode);
    }

    [Fact]
    public void Keras_patience_zero_stops_on_first_non_improvement()
    {
        var a = new EarlyStoppingAdvisor(Keras);
        Assert.Equal(2, Run(a, 1.0, 0.9, 0.95));
        Assert.Equal(StopReason.Patience, a.StopReason);
        Assert.Equal(0.9, a.BestValue);
        Assert.Equal(200, a.BestStep);
        Assert.Equal(300, a.StoppedStep);
        Assert.Equal("val_loss did not improve for 1 evaluation; best 0.9 at step 200", a.Reason);
    }

    [Fact]
    public void Keras_patience_counts_evaluations_since_the_last_improvement()
    {
        var a = new EarlyStoppingAdvisor(Keras with { Patience = 2 });
        Assert.Equal(3, Run(a, 1.0, 0.9, 0.95, 0.91, 0.92));
        Assert.Equal(2, a.Wait);
    }

    [Fact]
    public void Equal_value_is_not_an_improvement()
    {
        var a = new EarlyStoppingAdvisor(Keras);
        Assert.Equal(1, Run(a, 0.5, 0.5));
    }

    [Fact]
    public void Keras_min_delta_sign_is_ignored()
    {
        // 0.96 + 0.05 is not below 1.0, for min_delta = 0.05 and −0.05 alike.
        Assert.Equal(1, Run(new EarlyStoppingAdvisor(Keras with { MinDelta = 0.05, Patience = 1 }), 1.0, 0.96, 0.9));
        Assert.Equal(1, Run(new EarlyStoppingAdvisor(Keras with { MinDelta = -0.05, Patience = 1 }), 1.0, 0.96, 0.9));
        Assert.Equal(-1, Run(new EarlyStoppingAdvisor(Keras with { MinDelta = -0.05, Patience = 1 }), 1.0, 0.94, 0.88));
    }

    [Fact]
    public void Keras_max_mode_subtracts_min_delta()
    {
        var a = new EarlyStoppingAdvisor(Keras with { Monitor = "val_accuracy", MinDelta = 0.05, Patience = 1 });
        Assert.Equal(MetricMode.Max, a.ResolvedMode);
        Assert.Equal(1, Run(a, 0.5, 0.54, 0.6));
        Assert.Equal(0.5, a.BestValue);
    }

    [Fact]
    public void Keras_baseline_improvements_that_miss_the_baseline_do_not_reset_wait_nor_stop()
    {
        // wait climbs 1, 2, 3 while the value improves but stays above 0.5; the first
        // non-improvement then stops (wait 4 ≥ 2).
        var a = new EarlyStoppingAdvisor(Keras with { Baseline = 0.5, Patience = 2 });
        Assert.Equal(3, Run(a, 0.8, 0.7, 0.6, 0.65));
        Assert.Equal(4, a.Wait);
        Assert.Equal(0.6, a.BestValue);
        Assert.Equal(300, a.BestStep);
    }

    [Fact]
    public void Keras_baseline_beaten_resets_wait()
    {
        var a = new EarlyStoppingAdvisor(Keras with { Baseline = 0.75, Patience = 2 });
        Assert.Equal(4, Run(a, 0.8, 0.7, 0.6, 0.65, 0.66));
    }

    [Fact]
    public void Keras_baseline_with_patience_zero_stops_on_the_second_evaluation_without_beating_it()
    {
        Assert.Equal(1, Run(new EarlyStoppingAdvisor(Keras with { Baseline = 0.5 }), 0.8, 0.9));
    }

    [Fact]
    public void Keras_start_from_epoch_ignores_warm_up_evaluations()
    {
        var a = new EarlyStoppingAdvisor(Keras with { StartFromEpoch = 2 });
        Assert.Equal(4, Run(a, 1.0, 2.0, 3.0, 2.5, 2.6));
        Assert.Equal(2.5, a.BestValue);
        Assert.Equal(400, a.BestStep);
        Assert.Equal(1, Run(new EarlyStoppingAdvisor(Keras), 1.0, 2.0));
    }

    [Fact]
    public void Keras_never_stops_at_epoch_zero()
    {
        // A NaN first value is not an improvement (wait 1 ≥ 0) but epoch 0 cannot stop.
        var a = new EarlyStoppingAdvisor(Keras);
        Assert.Equal(-1, Run(a, double.NaN, 1.0));
        Assert.Equal(1.0, a.BestValue);
    }

    [Fact]
    public void Auto_mode_reads_the_metric_name()
    {
        Assert.Equal(MetricMode.Min, MetricDirection.Resolve(MetricMode.Auto, "val_loss"));
        Assert.Equal(MetricMode.Min, MetricDirection.Resolve(MetricMode.Auto, "train/nll_loss"));
        Assert.Equal(MetricMode.Max, MetricDirection.Resolve(MetricMode.Auto, "val_acc"));
        Assert.Equal(MetricMode.Max, MetricDirection.Resolve(MetricMode.Auto, "val_auc"));
        Assert.Equal(MetricMode.Min, MetricDirection.Resolve(MetricMode.Auto, "val_mean_squared_error"));
        Assert.Throws<ArgumentException>(() => MetricDirection.Resolve(MetricMode.Auto, "val_widgets"));
        Assert.Equal(MetricMode.Max, MetricDirection.Resolve(MetricMode.Max, "val_loss"));
    }

    [Fact]
    public void Lightning_checks_non_finite_before_the_divergence_threshold()
    {
        var a = new EarlyStoppingAdvisor(new() { Patience = 3, DivergenceThreshold = 10 });
        Assert.Equal(1, Run(a, 1.0, double.PositiveInfinity));
        Assert.Equal(StopReason.NonFinite, a.StopReason);

        var b = new EarlyStoppingAdvisor(
            new()
            {
                Patience = 3,
                DivergenceThreshold = 10,
                CheckFinite = false,
            }
        );
        Assert.Equal(1, Run(b, 1.0, double.PositiveInfinity));
        Assert.Equal(StopReason.DivergenceThreshold, b.StopReason);
    }

    [Fact]
    public void Lightning_checks_the_stopping_threshold_before_the_divergence_threshold()
    {
        // 3 is both below the stopping threshold 5 and above the divergence threshold 1.
        var a = new EarlyStoppingAdvisor(
            new()
            {
                Patience = 3,
                StoppingThreshold = 5,
                DivergenceThreshold = 1,
            }
        );
        Assert.Equal(0, Run(a, 3.0));
        Assert.Equal(StopReason.StoppingThreshold, a.StopReason);
    }

    [Fact]
    public void Lightning_stopping_threshold_fires_even_on_an_improvement()
    {
        var a = new EarlyStoppingAdvisor(new() { Patience = 3, StoppingThreshold = 0.5 });
        Assert.Equal(2, Run(a, 1.0, 0.8, 0.4));
        Assert.Equal(StopReason.StoppingThreshold, a.StopReason);
        Assert.Equal(0.8, a.BestValue);
    }

    [Fact]
    public void Lightning_divergence_threshold_is_strict_and_precedes_patience()
    {
        var a = new EarlyStoppingAdvisor(new() { DivergenceThreshold = 10 });
        Assert.Equal(1, Run(a, 1.0, 12.0));
        Assert.Equal(StopReason.DivergenceThreshold, a.StopReason); // not patience, although 12 did not improve

        var b = new EarlyStoppingAdvisor(new() { DivergenceThreshold = 10 });
        Assert.Equal(-1, Run(b, 1.0, 0.5, 0.4));
        var c = new EarlyStoppingAdvisor(new() { DivergenceThreshold = 10, Patience = 5 });
        Assert.Equal(-1, Run(c, 1.0, 10.0));
        Assert.True(c.Observe(300, 12.0));
        Assert.Equal(StopReason.DivergenceThreshold, c.StopReason);
    }

    [Fact]
    public void Max_mode_thresholds_are_mirrored()
    {
        var a = new EarlyStoppingAdvisor(
            new()
            {
                Monitor = "val_acc",
                Patience = 5,
                StoppingThreshold = 0.99,
                DivergenceThreshold = 0.1,
            }
        );
        Assert.Equal(1, Run(a, 0.5, 0.05));
        Assert.Equal(StopReason.DivergenceThreshold, a.StopReason);
        var b = new EarlyStoppingAdvisor(
            new()
            {
                Monitor = "val_acc",
                Patience = 5,
                StoppingThreshold = 0.99,
            }
        );
        Assert.Equal(1, Run(b, 0.5, 0.995));
        Assert.Equal(StopReason.StoppingThreshold, b.StopReason);
    }

    [Fact]
    public void Non_finite_value_stops_immediately_even_during_warm_up()
    {
        var a = new EarlyStoppingAdvisor(new() { Patience = 10, StartFromEpoch = 5 });
        Assert.Equal(1, Run(a, 1.0, double.NaN));
        Assert.StartsWith("val_loss is NaN at step 200", a.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_and_out_of_order_evaluations_are_ignored()
    {
        var a = new EarlyStoppingAdvisor(Keras);
        Assert.False(a.Observe(100, 1.0));
        Assert.False(a.Observe(100, 5.0));
        Assert.False(a.Observe(50, 5.0));
        Assert.Equal(2, a.IgnoredEvaluations);
        Assert.False(a.Observe(200, 0.9));
        Assert.True(a.Observe(300, 0.95));
    }

    [Fact]
    public void Stop_is_latched()
    {
        var a = new EarlyStoppingAdvisor(Keras);
        Assert.Equal(1, Run(a, 1.0, 2.0));
        Assert.False(a.Observe(1000, 0.1));
        Assert.True(a.ShouldStop);
        Assert.Equal(1.0, a.BestValue);
    }

    [Fact]
    public void Negative_losses_are_compared_by_value()
    {
        var a = new EarlyStoppingAdvisor(Keras with { Patience = 2 });
        Assert.Equal(3, Run(a, -1.0, -2.0, -1.5, -1.9));
        Assert.Equal(-2.0, a.BestValue);
    }

    [Fact]
    public void Prechelt_gl_stops_when_generalization_loss_exceeds_alpha()
    {
        // E_opt = 0.8; GL(0.82) = 2.5 %, GL(0.85) = 6.25 % > 5 %.
        var a = new EarlyStoppingAdvisor(new() { Strategy = StoppingStrategy.GeneralizationLoss, Alpha = 5 });
        Assert.Equal(3, Run(a, 1.0, 0.8, 0.82, 0.85));
        Assert.Equal(6.25, a.GeneralizationLoss, 9);
        Assert.Equal(StopReason.GeneralizationLoss, a.StopReason);
    }

    [Fact]
    public void Prechelt_pq_divides_gl_by_training_progress_at_strip_ends()
    {
        // k = 2. Strip 1: train 1.0, 0.9 → P = 1000·(1.9/1.8 − 1) = 55.6, GL = 10 → PQ 0.18.
        // Strip 2: train 0.89, 0.889 → P = 1000·(1.779/1.778 − 1) = 0.562, GL = 14 → PQ 24.9 > 0.5.
        var a = new EarlyStoppingAdvisor(
            new()
            {
                Strategy = StoppingStrategy.ProgressQuotient,
                Alpha = 0.5,
                StripLength = 2,
            }
        );
        double[] train = [1.0, 0.9, 0.89, 0.889];
        double[] val = [0.5, 0.55, 0.56, 0.57];
        var stopped = -1;
        for (var i = 0; i < val.Length && stopped < 0; i++)
        {
            // Two training points per evaluation whose mean is the epoch's training error.
            a.ObserveTraining((i * 100) + 10, train[i] - 0.01);
            a.ObserveTraining((i * 100) + 20, train[i] + 0.01);
            if (a.Observe((i + 1) * 100, val[i]))
            {
                stopped = i;
            }
        }

        Assert.Equal(3, stopped);
        Assert.Equal(1000 * ((1.779 / 1.778) - 1), a.TrainingProgress, 6);
        Assert.Equal(StopReason.ProgressQuotient, a.StopReason);
    }

    [Fact]
    public void Prechelt_up_counts_successive_rising_strips()
    {
        // k = 2, s = 2: strip ends 0.9 → 0.95 → 0.99 rise twice; the 0.7 inside a strip is not compared.
        var a = new EarlyStoppingAdvisor(
            new()
            {
                Strategy = StoppingStrategy.UpStrips,
                Strips = 2,
                StripLength = 2,
            }
        );
        Assert.Equal(5, Run(a, 1.0, 0.9, 0.8, 0.95, 0.7, 0.99));
        Assert.Equal(0.7, a.BestValue);
        Assert.Equal("val_loss rose in 2 successive strips of 2 evaluations; best 0.7 at step 500", a.Reason);
    }

    [Fact]
    public void Prechelt_gl_is_rejected_in_max_mode()
    {
        Assert.Throws<ArgumentException>(() => new EarlyStoppingAdvisor(new() { Monitor = "val_acc", Strategy = StoppingStrategy.GeneralizationLoss }));
    }

    [Fact]
    public void Reason_before_any_evaluation_says_so()
    {
        Assert.Equal("no val_loss evaluations yet", new EarlyStoppingAdvisor(new()).Reason);
    }

    [Fact]
    public void Strategy_names_parse()
    {
        Assert.Equal(StoppingStrategy.ProgressQuotient, EarlyStoppingOptions.ParseStrategy("PQ"));
        Assert.Equal(StoppingStrategy.UpStrips, EarlyStoppingOptions.ParseStrategy("up"));
        Assert.Throws<ArgumentException>(() => EarlyStoppingOptions.ParseStrategy("nope"));
    }

    [Fact]
    public void Keras_wait_trace_with_min_delta_matches_the_hand_computation()
    {
        // min_delta 0.005, patience 3. Improvement needs value + 0.005 < best.
        // waits: 0 (0.5), 0 (0.45), 1, 2, 0 (0.44), 1, 2, 3 → stop at the eighth evaluation.
        var a = new EarlyStoppingAdvisor(Keras with { MinDelta = 0.005, Patience = 3 });
        double[] values = [0.5, 0.45, 0.449, 0.46, 0.44, 0.439, 0.438, 0.437];
        int[] waits = [0, 0, 1, 2, 0, 1, 2, 3];
        for (var i = 0; i < values.Length; i++)
        {
            var stopped = a.Observe((i + 1) * 100, values[i]);
            Assert.Equal(waits[i], a.Wait);
            Assert.Equal(i == 7, stopped);
        }

        Assert.Equal(0.44, a.BestValue);
        Assert.Equal(500, a.BestStep);
        Assert.Equal("val_loss did not improve for 3 evaluations; best 0.44 at step 500", a.Reason);
    }

    [Fact]
    public void Lightning_default_patience_three_stops_on_the_third_record_without_improvement()
    {
        var a = new EarlyStoppingAdvisor(new() { Mode = MetricMode.Min, Patience = 3 });
        Assert.Equal(3, Run(a, 1.0, 1.0, 1.0, 1.0));
        Assert.Equal(StopReason.Patience, a.StopReason);
    }

    [Fact]
    public void Reason_while_waiting_says_how_long()
    {
        var a = new EarlyStoppingAdvisor(new() { Patience = 5 });
        Run(a, 0.3, 0.231, 0.25, 0.24);
        Assert.Equal("val_loss has not improved for 2 evaluations (patience 5); best 0.231 at step 200", a.Reason);
    }
}
