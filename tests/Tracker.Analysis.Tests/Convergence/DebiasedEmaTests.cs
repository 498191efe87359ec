using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class DebiasedEmaTests
{
    [Fact]
    public void First_value_is_returned_unchanged()
    {
        var ema = new DebiasedEma(0.6);
        Assert.Equal(4.0, ema.Next(4.0), 12);
    }

    [Fact]
    public void Second_value_matches_the_closed_form()
    {
        // out2 = (w·y1 + y2) / (1 + w) = (0.6 + 3) / 1.6 = 2.25
        var ema = new DebiasedEma(0.6);
        ema.Next(1.0);
        Assert.Equal(2.25, ema.Next(3.0), 12);
    }

    [Fact]
    public void Long_series_matches_the_weighted_average_closed_form()
    {
        const double w = 0.9;
        var ema = new DebiasedEma(w);
        var y = new double[50];
        for (var i = 0; i < y.Length; i++)
        {
            y[i] = Math.Sin(i) + (0.1 * i);
        }

        double last = 0;
        foreach (var v in y)
        {
            last = ema.Next(v);
        }

        // out_n = Σ_i w^(n−i)·y_i · (1−w) / (1−wⁿ)
        var n = y.Length;
        double sum = 0;
        for (var i = 1; i <= n; i++)
        {
            sum += Math.Pow(w, n - i) * y[i - 1];
        }

        Assert.Equal(sum * (1 - w) / (1 - Math.Pow(w, n)), last, 10);
    }

    [Fact]
    public void Non_finite_values_pass_through_without_advancing_the_count()
    {
        var ema = new DebiasedEma(0.6);
        Assert.Equal(1.0, ema.Next(1.0), 12);
        Assert.True(double.IsNaN(ema.Next(double.NaN)));
        Assert.Equal(double.PositiveInfinity, ema.Next(double.PositiveInfinity));
        Assert.Equal(1, ema.Count);
        Assert.Equal(2.25, ema.Next(3.0), 12);
    }

    [Fact]
    public void Constant_series_stays_constant()
    {
        var ema = new DebiasedEma(0.99);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(0.37, ema.Next(0.37), 12);
        }
    }

    [Fact]
    public void Span_smoothing_equals_online_smoothing()
    {
        double[] y = [3, 1, double.NaN, 4, 1, 5, -9, 2, 6];
        var batch = new double[y.Length];
        DebiasedEma.Smooth(y, batch, 0.8);
        var ema = new DebiasedEma(0.8);
        for (var i = 0; i < y.Length; i++)
        {
            Assert.Equal(ema.Next(y[i]), batch[i]);
        }
    }

    [Fact]
    public void Weight_of_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DebiasedEma(1.0));
    }
}
