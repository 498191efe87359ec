using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class DivergenceDetectorTests
{
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_value_diverges_immediately(double bad)
    {
        var d = new DivergenceDetector();
        d.Observe(1, 1.0);
        Assert.True(d.Observe(2, bad));
        Assert.True(d.IsNonFinite);
        Assert.Equal(2, d.DivergedStep);
        d.Observe(3, 0.5);
        Assert.True(d.IsDiverging);
    }

    [Fact]
    public void Non_finite_first_point_diverges()
    {
        Assert.True(new DivergenceDetector().Observe(0, double.NaN));
    }

    [Fact]
    public void Exponential_growth_diverges_after_confirmation()
    {
        var d = new DivergenceDetector();
        long? at = null;
        for (var t = 1; t <= 100 && at is null; t++)
        {
            if (d.Observe(t, 2.0 * Math.Pow(1.2, t)))
            {
                at = t;
            }
        }

        Assert.NotNull(at);
        Assert.True(d.IsGrowing);
    }

    [Fact]
    public void Single_spike_is_not_divergence()
    {
        var d = new DivergenceDetector();
        for (var t = 1; t <= 200; t++)
        {
            var value = t == 100 ? 1e6 : 1.0 / t;
            Assert.False(d.Observe(t, value));
        }
    }

    [Fact]
    public void Decreasing_noisy_and_negative_losses_do_not_diverge()
    {
        var d = new DivergenceDetector();
        var random = new Random(3);
        for (var t = 1; t <= 5000; t++)
        {
            d.Observe(t, -10 + (5.0 / Math.Sqrt(t)) + (0.5 * random.NextDouble()));
        }

        Assert.False(d.IsDiverging);
    }

    [Fact]
    public void Huge_but_finite_decreasing_values_do_not_diverge()
    {
        var d = new DivergenceDetector();
        for (var t = 1; t <= 100; t++)
        {
            d.Observe(t, 1e300 / t);
        }

        Assert.False(d.IsDiverging);
    }
}
