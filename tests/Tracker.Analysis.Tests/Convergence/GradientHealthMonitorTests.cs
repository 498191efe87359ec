using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class GradientHealthMonitorTests
{
    private static GradientHealthMonitor Feed(int steps, Func<int, int, double> norm, int layers, GradientHealthOptions? options = null)
    {
        var monitor = new GradientHealthMonitor(options);
        for (var t = 1; t <= steps; t++)
        {
            for (var l = 0; l < layers; l++)
            {
                monitor.Observe($"grad_norm/layer{l}", t, norm(t, l));
            }

            monitor.Observe("grad_norm/total", t, 1.0);
            monitor.Observe("loss", t, 1.0);
        }

        return monitor;
    }

    [Fact]
    public void No_series_is_unknown()
    {
        Assert.Equal(GradientStatus.Unknown, new GradientHealthMonitor().Evaluate().Status);
    }

    [Fact]
    public void Comparable_norms_are_healthy()
    {
        var health = Feed(100, (t, l) => 0.5 + (0.1 * l), 6).Evaluate();
        Assert.Equal(GradientStatus.Healthy, health.Status);
        Assert.Equal(7, health.Layers.Count);
        Assert.Equal("total", health.Layers[^1].Layer);
        Assert.Empty(health.AffectedLayers);
    }

    [Fact]
    public void Early_layers_orders_of_magnitude_below_late_ones_are_vanishing()
    {
        // Each layer's gradient is 10× smaller than the next one's: layer0 is 1e-5 of layer5.
        var health = Feed(50, (t, l) => Math.Pow(10, l - 5), 6).Evaluate();
        Assert.Equal(GradientStatus.Vanishing, health.Status);
        Assert.Equal(["layer0", "layer1"], health.AffectedLayers);
        Assert.Equal(Math.Pow(10, -4), health.EarlyToLateRatio, 6);
    }

    [Fact]
    public void Norm_below_the_absolute_floor_is_vanishing()
    {
        var health = Feed(50, (t, l) => l == 1 ? 1e-9 : 1.0, 2).Evaluate();
        Assert.Equal(GradientStatus.Vanishing, health.Status);
        Assert.Equal(["layer1"], health.AffectedLayers);
    }

    [Fact]
    public void Fast_growing_norm_is_exploding()
    {
        var health = Feed(100, (t, l) => l == 2 ? Math.Pow(1.2, t) * 1e-3 : 1.0, 3).Evaluate();
        Assert.Equal(GradientStatus.Exploding, health.Status);
        Assert.Equal(["layer2"], health.AffectedLayers);
    }

    [Fact]
    public void Huge_norm_is_exploding()
    {
        Assert.Equal(GradientStatus.Exploding, Feed(20, (t, l) => 1e6, 1).Evaluate().Status);
    }

    [Fact]
    public void Non_finite_latest_norm_wins_over_everything()
    {
        var monitor = Feed(20, (t, l) => 1e6, 2);
        monitor.Observe("grad_norm/layer1", 21, double.NaN);
        var health = monitor.Evaluate();
        Assert.Equal(GradientStatus.NonFinite, health.Status);
        Assert.Equal(GradientStatus.NonFinite, health.Layers[1].Status);
        Assert.Equal("non_finite", health.StatusName);
    }
}
