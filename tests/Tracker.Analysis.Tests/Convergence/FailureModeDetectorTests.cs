using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class FailureModeDetectorTests
{
    private static double SaddleLoss(int t) =>
        t <= 100 ? 2.0 - (0.005 * t)
        : t <= 400 ? 1.5
        : 1.5 - (1.2 * (1 - Math.Exp(-(t - 400) / 30.0)));

    private static double SaddleGradient(int t) =>
        t <= 100 ? 1.0
        : t <= 400 ? 1e-3
        : 0.5;

    [Fact]
    public void Collapsed_gradient_on_a_high_flat_loss_is_a_saddle_stall_and_its_drop_an_escape()
    {
        var d = new FailureModeDetector();
        var stalled = false;
        for (var t = 1; t <= 700; t++)
        {
            d.ObserveGradientNorm(t, SaddleGradient(t));
            d.ObserveLoss(t, SaddleLoss(t));
            stalled |= d.SaddleStall;
            if (t == 400)
            {
                Assert.True(d.SaddleStall);
            }
        }

        Assert.True(stalled);
        Assert.False(d.SaddleStall);
        Assert.InRange(d.EscapeStep ?? 0, 401, 500);
        var failures = d.Evaluate();
        var stall = Assert.Single(failures, f => f.Name == "saddle_point_stall");
        Assert.True(stall.Evidence["gradient_collapse_orders"] >= 2);
        Assert.InRange(stall.Step ?? 0, 150, 400);
        Assert.Single(failures, f => f.Name == "saddle_point_escape");
    }

    [Fact]
    public void Converged_low_loss_with_tiny_gradient_is_not_a_saddle()
    {
        var d = new FailureModeDetector();
        for (var t = 1; t <= 1000; t++)
        {
            d.ObserveGradientNorm(t, Math.Exp(-t / 50.0));
            d.ObserveLoss(t, 0.01 + (2.0 * Math.Exp(-t / 50.0)));
        }

        Assert.False(d.SaddleStall);
        Assert.Empty(d.Evaluate());
    }

    [Fact]
    public void Learning_rate_decayed_to_zero_on_a_high_flat_loss_is_premature_convergence()
    {
        var d = new FailureModeDetector();
        for (var t = 1; t <= 400; t++)
        {
            d.ObserveLearningRate(t, 0.1 * Math.Pow(0.95, t));
            d.ObserveLoss(t, 1.8 + (0.5 * Math.Exp(-t / 10.0)));
        }

        Assert.True(d.PrematureConvergence);
        var f = Assert.Single(d.Evaluate(), x => x.Name == "premature_convergence");
        Assert.Contains("warm restarts", f.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Learning_rate_decay_after_a_good_descent_is_not_premature()
    {
        var d = new FailureModeDetector();
        for (var t = 1; t <= 400; t++)
        {
            d.ObserveLearningRate(t, 0.1 * Math.Pow(0.95, t));
            d.ObserveLoss(t, 0.05 + (2.25 * Math.Exp(-t / 10.0)));
        }

        Assert.False(d.PrematureConvergence);
    }

    [Fact]
    public void Flat_loss_bouncing_in_a_band_at_constant_lr_is_oscillation()
    {
        var d = new FailureModeDetector();
        var random = new Random(11);
        for (var t = 1; t <= 500; t++)
        {
            d.ObserveLearningRate(t, 0.5);
            d.ObserveLoss(t, 0.8 + (0.4 * (random.NextDouble() - 0.5)));
        }

        Assert.True(d.OscillationAtConstantLr);
        var f = Assert.Single(d.Evaluate(), x => x.Name == "oscillation_constant_lr");
        Assert.True(f.Evidence["band"] > 0.05);
        Assert.Equal(0.5, f.Evidence["lr"]);
    }

    [Fact]
    public void Band_with_a_decaying_lr_is_not_oscillation_at_constant_lr()
    {
        var d = new FailureModeDetector();
        var random = new Random(11);
        for (var t = 1; t <= 500; t++)
        {
            d.ObserveLearningRate(t, 0.5 / t);
            d.ObserveLoss(t, 0.8 + (0.4 * (random.NextDouble() - 0.5)));
        }

        Assert.False(d.OscillationAtConstantLr);
    }

    [Fact]
    public void Noise_free_flat_loss_at_constant_lr_is_not_oscillation()
    {
        var d = new FailureModeDetector();
        for (var t = 1; t <= 500; t++)
        {
            d.ObserveLearningRate(t, 0.5);
            d.ObserveLoss(t, 0.3);
        }

        Assert.False(d.OscillationAtConstantLr);
    }

    [Fact]
    public void Without_a_learning_rate_series_no_lr_diagnosis_is_made()
    {
        var d = new FailureModeDetector();
        var random = new Random(2);
        for (var t = 1; t <= 500; t++)
        {
            d.ObserveLoss(t, 1.8 + (0.4 * (random.NextDouble() - 0.5)));
        }

        Assert.False(d.PrematureConvergence);
        Assert.False(d.OscillationAtConstantLr);
    }
}
