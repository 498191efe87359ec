using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class ConvergenceRateEstimatorTests
{
    private static ConvergenceRate Estimate(Func<int, double> f, int from, int to, double? optimum = null)
    {
        var estimator = new ConvergenceRateEstimator(optimum);
        for (var t = from; t <= to; t++)
        {
            estimator.Observe(t, f(t));
        }

        return estimator.Estimate();
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void Geometric_sequence_is_linear_with_its_ratio(double c)
    {
        var rate = Estimate(t => 3.0 * Math.Pow(c, t), 1, 60);
        Assert.Equal(ConvergenceRateClass.Linear, rate.Class);
        Assert.Equal(c, rate.Constants["c"], 3);
        Assert.True(rate.Confidence > 0.8, $"confidence {rate.Confidence}");
    }

    [Fact]
    public void Geometric_sequence_above_an_unknown_floor_is_linear()
    {
        // f = 0.7 + 2·0.8ᵗ, the floor is not reached in 40 steps.
        var rate = Estimate(t => 0.7 + (2.0 * Math.Pow(0.8, t)), 1, 40);
        Assert.Equal(ConvergenceRateClass.Linear, rate.Class);
        Assert.Equal(0.8, rate.Constants["c"], 2);
        Assert.Equal(0.7, rate.Constants["f_star"], 2);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    public void Power_law_is_sublinear_with_its_exponent(double p)
    {
        var rate = Estimate(t => 5.0 / Math.Pow(t, p), 1, 2000);
        Assert.Equal(ConvergenceRateClass.Sublinear, rate.Class);
        Assert.Equal(p, rate.Constants["p"], 1);
    }

    [Fact]
    public void Power_law_above_a_negative_floor_is_sublinear()
    {
        var rate = Estimate(t => -3.0 + (1.0 / t), 1, 500);
        Assert.Equal(ConvergenceRateClass.Sublinear, rate.Class);
        Assert.Equal(1.0, rate.Constants["p"], 1);
    }

    [Fact]
    public void Power_law_with_known_optimum_is_sublinear()
    {
        var rate = Estimate(t => 2.0 + (1.0 / (t * t)), 1, 300, optimum: 2.0);
        Assert.Equal(ConvergenceRateClass.Sublinear, rate.Class);
        Assert.Equal(2.0, rate.Constants["p"], 1);
    }

    [Fact]
    public void Exp_of_minus_t_to_one_and_a_half_is_superlinear()
    {
        var rate = Estimate(t => Math.Exp(-Math.Pow(t, 1.5)), 1, 12);
        Assert.Equal(ConvergenceRateClass.Superlinear, rate.Class);
    }

    [Fact]
    public void C_to_the_t_squared_is_superlinear()
    {
        var rate = Estimate(t => Math.Pow(0.9, (double)t * t), 1, 25);
        Assert.Equal(ConvergenceRateClass.Superlinear, rate.Class);
    }

    [Fact]
    public void Squaring_error_is_quadratic()
    {
        // e_{t+1} = e_t², e_1 = 0.5.
        var e = new double[10];
        e[0] = 0.5;
        for (var i = 1; i < e.Length; i++)
        {
            e[i] = e[i - 1] * e[i - 1];
        }

        var estimator = new ConvergenceRateEstimator();
        for (var i = 0; i < e.Length; i++)
        {
            estimator.Observe(i + 1, e[i]);
        }

        var rate = estimator.Estimate();
        Assert.Equal(ConvergenceRateClass.Quadratic, rate.Class);
        Assert.Equal(2.0, rate.Constants["order"], 1);
    }

    [Fact]
    public void Newton_scaled_error_is_quadratic_with_its_constant()
    {
        // e_{t+1} = 3·e_t² from e_1 = 0.1 (Newton near a root), optimum 0 known.
        var estimator = new ConvergenceRateEstimator(optimum: 0);
        var e = 0.1;
        for (var t = 1; t <= 7; t++)
        {
            estimator.Observe(t, e);
            e = 3 * e * e;
        }

        var rate = estimator.Estimate();
        Assert.Equal(ConvergenceRateClass.Quadratic, rate.Class);
        Assert.Equal(3.0, rate.Constants["M"], 1);
    }

    [Fact]
    public void Too_few_points_are_unknown()
    {
        var estimator = new ConvergenceRateEstimator();
        estimator.Observe(1, 1.0);
        Assert.Equal(ConvergenceRateClass.Unknown, estimator.Estimate().Class);
        Assert.Equal(0, estimator.Estimate().Confidence);
    }

    [Fact]
    public void Constant_series_is_unknown()
    {
        Assert.Equal(ConvergenceRateClass.Unknown, Estimate(_ => 0.3, 1, 100).Class);
    }

    [Fact]
    public void Rising_series_is_unknown()
    {
        Assert.Equal(ConvergenceRateClass.Unknown, Estimate(t => t, 1, 100, optimum: 0).Class);
    }

    [Fact]
    public void Long_geometric_run_survives_decimation()
    {
        var rate = Estimate(t => Math.Pow(0.999, t), 1, 20_000);
        Assert.Equal(ConvergenceRateClass.Linear, rate.Class);
        Assert.Equal(0.999, rate.Constants["c"], 4);
    }

    [Fact]
    public void Non_finite_and_out_of_order_points_are_ignored()
    {
        var estimator = new ConvergenceRateEstimator();
        for (var t = 1; t <= 50; t++)
        {
            estimator.Observe(t, Math.Pow(0.7, t));
            estimator.Observe(t, 99);
            estimator.Observe(t + 1000, double.NaN);
        }

        Assert.Equal(50, estimator.Count);
        Assert.Equal(ConvergenceRateClass.Linear, estimator.Estimate().Class);
    }

    [Fact]
    public void Squaring_error_above_an_optimum_of_one_is_quadratic_until_rounding()
    {
        var estimator = new ConvergenceRateEstimator();
        var e = 0.5;
        for (var t = 1; t <= 9; t++)
        {
            estimator.Observe(t, 1.0 + e);
            e *= e;
        }

        Assert.Equal(ConvergenceRateClass.Quadratic, estimator.Estimate().Class);
    }

    [Fact]
    public void Huge_losses_give_finite_constants_only()
    {
        var rate = Estimate(t => 1e300 * Math.Pow(0.9, t), 1, 200);
        Assert.Equal(ConvergenceRateClass.Linear, rate.Class);
        Assert.Equal(0.9, rate.Constants["c"], 3);
        Assert.All(rate.Constants.Values, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Non_negative_noisy_loss_gets_a_non_negative_optimum()
    {
        // A shifted power law with noise: f* = 0 and the class is sublinear (p is the effective
        // exponent over the observed range, below the asymptotic 0.7 because of the shift).
        var random = new Random(1);
        var rate = Estimate(t => (2.3 * Math.Pow(1 + (t / 50.0), -0.7)) + (0.02 * (random.NextDouble() - 0.5)), 1, 5000);
        Assert.Equal(ConvergenceRateClass.Sublinear, rate.Class);
        Assert.True(rate.Constants["f_star"] >= 0);
        Assert.InRange(rate.Constants["p"], 0.4, 0.8);
    }

    [Fact]
    public void Noisy_exponential_loss_is_linear_with_reduced_confidence()
    {
        var random = new Random(1);
        var rate = Estimate(t => 0.05 + (2.25 * Math.Exp(-t / 200.0)) + (0.05 * (random.NextDouble() - 0.5)), 1, 3000);
        Assert.Equal(ConvergenceRateClass.Linear, rate.Class);
        Assert.Equal(Math.Exp(-1 / 200.0), rate.Constants["c"], 3);
        Assert.InRange(rate.Confidence, 0.05, 0.8);
    }

    [Fact]
    public void Pure_noise_is_unknown()
    {
        var random = new Random(1);
        Assert.Equal(ConvergenceRateClass.Unknown, Estimate(_ => 1 + random.NextDouble(), 1, 1000).Class);
    }
}
