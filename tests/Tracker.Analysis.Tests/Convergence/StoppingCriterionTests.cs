using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class StoppingCriterionTests
{
    [Fact]
    public void Classic_plateau_with_window_one_and_no_smoothing_is_the_one_step_test()
    {
        var c = new StoppingCriterion(StoppingCriterionKind.LossPlateau, "loss", 1e-6, window: 1);
        Assert.False(c.Observe(1, 1.0));
        Assert.False(c.Observe(2, 0.5));
        Assert.Equal(0.5, c.Value, 12);
        Assert.True(c.Observe(3, 0.5 - 5e-7));
        Assert.Equal(5e-7, c.Value, 12);
        Assert.Equal(3, c.MetAtStep);
    }

    [Fact]
    public void Classic_relative_improvement_is_f_prev_minus_f_over_f_prev()
    {
        var c = new StoppingCriterion(StoppingCriterionKind.RelativeImprovement, "loss", 1e-4, window: 1);
        c.Observe(1, 2.0);
        c.Observe(2, 1.5);
        Assert.Equal(0.25, c.Value, 12);
        Assert.False(c.Met);
        c.Observe(3, 1.5 * (1 - 5e-5));
        Assert.Equal(5e-5, c.Value, 9);
        Assert.True(c.Met);
    }

    [Fact]
    public void Relative_improvement_uses_the_magnitude_for_negative_losses()
    {
        var c = new StoppingCriterion(StoppingCriterionKind.RelativeImprovement, "loss", 1e-4, window: 1);
        c.Observe(1, -2.0);
        c.Observe(2, -3.0);
        Assert.Equal(0.5, c.Value, 12); // (−2 − (−3)) / |−2|
    }

    [Fact]
    public void One_lucky_step_does_not_trip_the_default_plateau()
    {
        // A noisy, still decreasing loss: two equal consecutive values happen, the default
        // (smoothed, 10-point) criterion does not fire.
        var c = new StoppingCriterion(StoppingCriterionKind.LossPlateau, "loss", 1e-6);
        var random = new Random(7);
        for (var t = 1; t <= 2000; t++)
        {
            var value = (1.0 / Math.Sqrt(t)) + (0.05 * (random.NextDouble() - 0.5));
            c.Observe(t, value);
            c.Observe(t, value); // duplicate step: ignored
            Assert.False(c.Met, $"met at step {t}");
        }
    }

    [Fact]
    public void Default_plateau_fires_on_a_deterministic_flat_loss_after_its_window()
    {
        var c = new StoppingCriterion(StoppingCriterionKind.LossPlateau, "loss", 1e-6);
        var metAt = -1;
        for (var t = 1; t <= 100 && metAt < 0; t++)
        {
            if (c.Observe(t, 0.25 + Math.Pow(0.5, t)))
            {
                metAt = t;
            }
        }

        // 0.5ᵗ < 1e-6 from t = 20; the smoothed change must stay under the threshold 10 times.
        Assert.InRange(metAt, 25, 60);
    }

    [Fact]
    public void Constant_series_meets_plateau_and_relative_criteria()
    {
        var plateau = new StoppingCriterion(StoppingCriterionKind.LossPlateau, "loss", 1e-6);
        var relative = new StoppingCriterion(StoppingCriterionKind.RelativeImprovement, "loss", 1e-4);
        for (var t = 0; t < 30; t++)
        {
            plateau.Observe(t, 3.0);
            relative.Observe(t, 3.0);
        }

        Assert.True(plateau.Met);
        Assert.True(relative.Met);
    }

    [Fact]
    public void Gradient_norm_must_stay_below_threshold_for_the_window()
    {
        var c = new StoppingCriterion(StoppingCriterionKind.GradientNorm, "grad_norm/total", 1e-5, window: 3);
        c.Observe(1, 1e-6);
        c.Observe(2, 1e-6);
        c.Observe(3, 1e-3);
        c.Observe(4, 1e-6);
        c.Observe(5, 1e-6);
        Assert.False(c.Met);
        Assert.True(c.Observe(6, 1e-6));
        c.Observe(7, double.NaN);
        Assert.False(c.Met);
    }

    [Fact]
    public void Validation_patience_counts_evaluations_since_best()
    {
        var c = new StoppingCriterion(StoppingCriterionKind.ValidationPatience, "val_loss", 5);
        double[] values = [1.0, 0.8, 0.9, 0.85, 0.81, 0.8, 0.95];
        for (var i = 0; i < values.Length - 1; i++)
        {
            c.Observe((i + 1) * 50, values[i]);
        }

        Assert.Equal(4, c.Value);
        Assert.False(c.Met);
        Assert.True(c.Observe(350, values[^1]));
        Assert.Equal("validation_patience", c.Name);
    }

    [Fact]
    public void Validation_patience_in_max_mode_looks_for_higher_values()
    {
        var c = new StoppingCriterion(StoppingCriterionKind.ValidationPatience, "val_acc", 2, minimize: false);
        c.Observe(1, 0.5);
        c.Observe(2, 0.6);
        c.Observe(3, 0.55);
        Assert.True(c.Observe(4, 0.6));
    }
}
