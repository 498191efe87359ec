using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class LearningCurveClassifierTests
{
    /// <summary>Training loss every step, validation every <paramref name="every"/> steps, Gaussian-ish noise.</summary>
    private static PatternVerdict Run(int steps, Func<int, double> train, Func<int, double>? val = null, double noise = 0.0, int every = 100, int seed = 1)
    {
        var random = new Random(seed);
        var classifier = new LearningCurveClassifier();
        for (var t = 1; t <= steps; t++)
        {
            var n = noise * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
            classifier.ObserveTraining(t, train(t) + n);
            if (val is not null && t % every == 0)
            {
                classifier.ObserveValidation(t, val(t) + (n / 5));
            }
        }

        return classifier.Classify();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Converged_train_and_validation_are_healthy(int seed)
    {
        var v = Run(3000, t => 0.05 + (2.25 * Math.Exp(-t / 200.0)), t => 0.1 + (2.2 * Math.Exp(-t / 200.0)), noise: 0.05, seed: seed);
        Assert.Equal(CurvePattern.HealthyConvergence, v.Pattern);
        Assert.Equal("healthy_convergence", v.Label);
        Assert.Equal("training can be stopped", v.Action);
        Assert.InRange(v.Confidence, 0.5, 1.0);
    }

    [Fact]
    public void Curves_still_falling_are_still_improving()
    {
        var v = Run(300, t => 0.05 + (2.25 * Math.Exp(-t / 200.0)), t => 0.1 + (2.2 * Math.Exp(-t / 200.0)), noise: 0.05, every: 30);
        Assert.Equal(CurvePattern.StillImproving, v.Pattern);
    }

    [Fact]
    public void Training_converged_while_validation_still_falls_is_still_improving()
    {
        var v = Run(3000, t => 0.05 + (2.25 * Math.Exp(-t / 200.0)), t => 0.1 + (2.2 * Math.Exp(-t / 1500.0)), noise: 0.02);
        Assert.Equal(CurvePattern.StillImproving, v.Pattern);
    }

    [Fact]
    public void Validation_rising_after_its_minimum_while_training_falls_is_overfitting()
    {
        var v = Run(3000, t => 0.01 + (2.0 * Math.Exp(-t / 300.0)), t => 0.3 + (2.0 * Math.Exp(-t / 300.0)) + (0.0003 * Math.Max(0, t - 1000)), noise: 0.05);
        Assert.Equal(CurvePattern.Overfitting, v.Pattern);
        Assert.Equal("regularize or stop early", v.Action);
        Assert.True(v.Evidence["val_rise"] > 0.3);
    }

    [Fact]
    public void Both_flat_at_a_high_loss_is_underfitting()
    {
        var v = Run(2000, t => 1.5 + (0.8 * Math.Exp(-t / 100.0)), t => 1.55 + (0.8 * Math.Exp(-t / 100.0)), noise: 0.05);
        Assert.Equal(CurvePattern.Underfitting, v.Pattern);
        Assert.Equal("more capacity or train longer", v.Action);
    }

    [Fact]
    public void Wild_swings_without_trend_are_oscillating()
    {
        var v = Run(2000, _ => 2.0, noise: 1.5);
        Assert.Equal(CurvePattern.Oscillating, v.Pattern);
        Assert.Equal("reduce the learning rate (or clip gradients)", v.Action);
    }

    [Fact]
    public void Mini_batch_noise_on_a_small_drop_is_not_oscillation_but_swings_of_the_loss_itself_are()
    {
        // Fine-tuning: the loss starts low and drops by ~0.1; mini-batch noise (σ = 0.02, ~5 % of the loss) makes a
        // band wider than half that drop, but it is a small part of the loss, and the validation loss is calm.
        var calm = Run(5000, t => 0.35 + (0.1 * Math.Exp(-t / 300.0)), t => 0.40 + (0.08 * Math.Exp(-t / 300.0)), noise: 0.04);
        Assert.True(calm.Evidence["band_ratio"] >= new LearningCurveOptions().OscillationRatio, $"band ratio {calm.Evidence["band_ratio"]}");
        Assert.True(calm.Evidence["band_level"] < new LearningCurveOptions().OscillationLevel, $"band level {calm.Evidence["band_level"]}");
        Assert.NotEqual(CurvePattern.Oscillating, calm.Pattern);

        // The same curve swinging by ~85 % of its level is oscillating.
        var wild = Run(5000, t => 0.35 + (0.1 * Math.Exp(-t / 300.0)), t => 0.40 + (0.08 * Math.Exp(-t / 300.0)), noise: 0.6);
        Assert.Equal(CurvePattern.Oscillating, wild.Pattern);
    }

    [Fact]
    public void Period_two_bouncing_is_oscillating()
    {
        var v = Run(1000, t => 1.0 + (0.6 * (t % 2 == 0 ? 1 : -1)) + (0.3 * Math.Exp(-t / 50.0)));
        Assert.Equal(CurvePattern.Oscillating, v.Pattern);
    }

    [Fact]
    public void Steady_but_tiny_decrease_is_slow_progress()
    {
        var v = Run(1000, t => 2.3 - (0.0001 * t), noise: 0.01);
        Assert.Equal(CurvePattern.SlowProgress, v.Pattern);
        Assert.Equal("raise the learning rate or re-initialize", v.Action);
    }

    [Fact]
    public void Nan_loss_is_diverging_at_once()
    {
        var classifier = new LearningCurveClassifier();
        classifier.ObserveTraining(1, 2.3);
        classifier.ObserveTraining(2, double.NaN);
        var v = classifier.Classify();
        Assert.Equal(CurvePattern.Diverging, v.Pattern);
        Assert.Equal(1.0, v.Confidence);
        Assert.Equal("lower the learning rate, clip gradients, check initialization", v.Action);
    }

    [Fact]
    public void Exploding_loss_is_diverging()
    {
        var v = Run(200, t => t < 100 ? 2.0 - (0.01 * t) : Math.Exp((t - 100) / 5.0), noise: 0.01);
        Assert.Equal(CurvePattern.Diverging, v.Pattern);
    }

    [Fact]
    public void Diverging_validation_is_diverging()
    {
        var v = Run(500, t => 1.0 / t, t => t > 300 ? double.PositiveInfinity : 1.0, every: 50);
        Assert.Equal(CurvePattern.Diverging, v.Pattern);
    }

    [Fact]
    public void Few_points_are_insufficient_data()
    {
        var v = Run(5, t => 1.0 / t);
        Assert.Equal(CurvePattern.InsufficientData, v.Pattern);
        Assert.Equal("insufficient_data", v.Label);
    }

    [Fact]
    public void Single_point_is_insufficient_data()
    {
        var classifier = new LearningCurveClassifier();
        classifier.ObserveTraining(0, 1.0);
        Assert.Equal(CurvePattern.InsufficientData, classifier.Classify().Pattern);
    }

    [Fact]
    public void Negative_loss_converging_is_healthy()
    {
        var v = Run(3000, t => -3.0 + (5.0 * Math.Exp(-t / 200.0)), noise: 0.05);
        Assert.Equal(CurvePattern.HealthyConvergence, v.Pattern);
    }

    [Fact]
    public void Huge_scale_does_not_change_the_verdict()
    {
        var v = Run(3000, t => 1e12 * (0.05 + (2.25 * Math.Exp(-t / 200.0))), noise: 5e10);
        Assert.Equal(CurvePattern.HealthyConvergence, v.Pattern);
    }

    [Fact]
    public void Constant_loss_is_underfitting()
    {
        Assert.Equal(CurvePattern.Underfitting, Run(500, _ => 0.7).Pattern);
    }

    [Fact]
    public void Duplicate_and_out_of_order_points_do_not_change_the_verdict()
    {
        var classifier = new LearningCurveClassifier();
        for (var t = 1; t <= 3000; t++)
        {
            classifier.ObserveTraining(t, 0.05 + (2.25 * Math.Exp(-t / 200.0)));
            classifier.ObserveTraining(t, 100.0);
            classifier.ObserveTraining(t - 1, 100.0);
        }

        Assert.Equal(CurvePattern.HealthyConvergence, classifier.Classify().Pattern);
    }

    [Fact]
    public void Confidence_and_evidence_are_reported()
    {
        var v = Run(3000, t => 0.05 + (2.25 * Math.Exp(-t / 200.0)), noise: 0.05);
        Assert.InRange(v.Confidence, 0.0, 1.0);
        Assert.Contains("relative_drop", v.Evidence.Keys);
        Assert.Contains("recent_share", v.Evidence.Keys);
    }

    [Fact]
    public void Power_law_loss_still_gaining_a_tenth_per_quarter_is_still_improving()
    {
        // 2.3/√(1 + t/500): the last quarter still delivers ~5 % of the whole drop and ~10 % of the level.
        var v = Run(5000, t => 2.3 / Math.Sqrt(1 + (t / 500.0)), noise: 0.02);
        Assert.Equal(CurvePattern.StillImproving, v.Pattern);
    }

    [Fact]
    public void Power_law_loss_that_delivered_nearly_all_of_its_drop_is_healthy()
    {
        // 2.3·(1 + t/50)^−0.7: the last quarter gains 18 % of a small level but only ~1 % of the drop achieved — the curve
        // has delivered its progress (both independently written labeling rules in data/ call this converged).
        var v = Run(5000, t => 2.3 * Math.Pow(1 + (t / 50.0), -0.7), noise: 0.02);
        Assert.Equal(CurvePattern.HealthyConvergence, v.Pattern);
    }

    [Fact]
    public void Loss_heading_to_zero_after_a_thousandfold_fall_is_healthy()
    {
        var v = Run(3000, t => 2.0 * Math.Exp(-t / 200.0));
        Assert.Equal(CurvePattern.HealthyConvergence, v.Pattern);
    }

    [Fact]
    public void Validation_only_run_is_classified_from_the_validation_curve()
    {
        var classifier = new LearningCurveClassifier();
        for (var e = 1; e <= 60; e++)
        {
            classifier.ObserveValidation(e * 1000, 0.2 + (2.0 * Math.Exp(-e / 6.0)));
        }

        Assert.Equal(CurvePattern.HealthyConvergence, classifier.Classify().Pattern);
    }

    [Fact]
    public void Staircase_from_step_decay_ending_in_a_plateau_is_healthy()
    {
        // Plateau at 1.0, learning-rate drop at step 1000 takes the loss to 0.4, then flat.
        var v = Run(3000, t => t < 1000 ? 1.0 + (1.3 * Math.Exp(-t / 100.0)) : 0.4 + (0.6 * Math.Exp(-(t - 1000) / 50.0)), noise: 0.05);
        Assert.Equal(CurvePattern.HealthyConvergence, v.Pattern);
    }

    [Fact]
    public void Warm_up_bump_followed_by_descent_is_not_diverging()
    {
        // The loss rises 30 % during a learning-rate warm-up, then falls.
        var v = Run(1000, t => t < 100 ? 2.3 * (1 + (0.3 * t / 100.0)) : 0.2 + (2.79 * Math.Exp(-(t - 100) / 150.0)), noise: 0.05);
        Assert.NotEqual(CurvePattern.Diverging, v.Pattern);
        Assert.Equal(CurvePattern.HealthyConvergence, v.Pattern);
    }

    [Fact]
    public void Single_loss_spike_with_recovery_is_not_diverging()
    {
        var v = Run(3000, t => t == 1500 ? 50.0 : 0.05 + (2.25 * Math.Exp(-t / 200.0)), noise: 0.05);
        Assert.Equal(CurvePattern.HealthyConvergence, v.Pattern);
    }
}
