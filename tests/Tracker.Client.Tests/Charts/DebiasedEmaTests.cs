using Tracker.Client.Charts;

namespace Tracker.Client.Tests.Charts;

public sealed class DebiasedEmaTests
{
    [Fact]
    public void Matches_hand_computed_values_and_skips_non_finite()
    {
        // w = 0.6: last = 0.4, 1.04, 1.824, (NaN skipped), 2.6944; out = last / (1 - 0.6^n)
        var smoothed = DebiasedEma.Smooth([1, 2, 3, double.NaN, 4], 0.6);
        Assert.Equal(1.0, smoothed[0], 12);
        Assert.Equal(1.04 / 0.64, smoothed[1], 12);
        Assert.Equal(1.824 / 0.784, smoothed[2], 12);
        Assert.True(double.IsNaN(smoothed[3]));
        Assert.Equal(2.6944 / 0.8704, smoothed[4], 12);
    }

    [Fact]
    public void Weight_zero_returns_the_raw_values()
    {
        Assert.Equal([3.0, -1.0, 7.5], DebiasedEma.Smooth([3, -1, 7.5], 0));
    }

    [Fact]
    public void First_value_is_unbiased_whatever_the_weight()
    {
        Assert.Equal(5.0, DebiasedEma.Smooth([5, 5, 5], 0.99)[0], 12);
        Assert.Equal(5.0, DebiasedEma.Smooth([5, 5, 5], 0.99)[2], 12);
    }

    [Fact]
    public void Infinity_passes_through_without_advancing()
    {
        var s = DebiasedEma.Smooth([2, double.PositiveInfinity, 2], 0.5);
        Assert.Equal(double.PositiveInfinity, s[1]);
        Assert.Equal(2.0, s[2], 12);
    }
}
