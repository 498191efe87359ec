using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

/// <summary>The seed's ratio tests on the error to a known optimum: superlinear when e_{k+1}/e_k → 0, quadratic when the
/// order log(e_{k+2}/e_{k+1}) / log(e_{k+1}/e_k) → 2; and no such claim for a noisy error that never fell two decades.</summary>
public sealed class ConvergenceRateRatioTests
{
    private static ConvergenceRate Estimate(IReadOnlyList<double> errors, double? optimum = 0)
    {
        var estimator = new ConvergenceRateEstimator(optimum);
        for (var k = 0; k < errors.Count; k++)
        {
            estimator.Observe(k, errors[k]);
        }

        return estimator.Estimate();
    }

    [Fact]
    public void Newton_iterates_on_a_closed_form_are_quadratic()
    {
        // Newton's method for √2 (x² − 2 = 0) from x₀ = 3: e_{k+1} = e_k² / (2 x_k), the textbook quadratic case.
        var errors = new List<double>();
        double x = 3;
        for (var k = 0; k < 6; k++)
        {
            errors.Add(x - Math.Sqrt(2));
            x -= ((x * x) - 2) / (2 * x);
        }

        var rate = Estimate(errors);
        Assert.Equal(ConvergenceRateClass.Quadratic, rate.Class);
        Assert.InRange(rate.Constants["order"], 1.6, 2.6);
    }

    [Fact]
    public void Errors_whose_ratios_go_to_zero_are_superlinear()
    {
        // e_k = 1/k!: e_{k+1}/e_k = 1/(k+1) → 0, order 1 (superlinear, not quadratic).
        var errors = new List<double>();
        double e = 1;
        for (var k = 1; k <= 14; k++)
        {
            errors.Add(e);
            e /= k + 1;
        }

        Assert.Equal(ConvergenceRateClass.Superlinear, Estimate(errors).Class);
    }

    [Fact]
    public void Lbfgs_on_rosenbrock_with_its_terminal_repeats_is_superlinear()
    {
        // f − f* of L-BFGS (m = 10) on the 2-D Rosenbrock function from (−1.2, 1), as the hosted preset logs it: a linear-looking
        // walk down the valley, a superlinear finish, then the terminated solver's last value repeated.
        double[] f =
        [
            24.2,
            4.147,
            4.126,
            4.121,
            4.112,
            4.085,
            4.022,
            3.909,
            3.759,
            3.423,
            2.860,
            2.456,
            1.820,
            1.658,
            1.497,
            1.135,
            0.920,
            0.655,
            0.465,
            0.424,
            0.242,
            0.208,
            0.113,
            0.0940,
            0.0465,
            0.0383,
            0.0250,
            0.0148,
            0.00759,
            0.00237,
            9.26e-4,
            4.42e-5,
            8.82e-6,
            1.65e-7,
            1.73e-8,
            4.5e-13,
            4.5e-13,
            4.5e-13,
            4.5e-13,
            4.5e-13,
            4.5e-13,
        ];
        Assert.Equal(ConvergenceRateClass.Superlinear, Estimate(f).Class);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void A_constant_ratio_stays_linear_over_many_decades(double c)
    {
        var errors = Enumerable.Range(0, 80).Select(k => Math.Pow(c, k)).ToList();
        var rate = Estimate(errors);
        Assert.Equal(ConvergenceRateClass.Linear, rate.Class);
        Assert.Equal(c, rate.Constants["c"], 3);
    }

    [Fact]
    public void Noisy_sgd_loss_that_fell_less_than_two_decades_is_never_superlinear()
    {
        // A mini-batch loss: 2.3 → 0.8 with multiplicative noise; its consecutive ratios wander around 1.
        var random = new Random(7);
        var errors = Enumerable.Range(0, 200).Select(k => (0.8 + (1.5 * Math.Exp(-k / 40.0))) * (1 + (0.15 * ((random.NextDouble() * 2) - 1)))).ToList();
        var rateClass = Estimate(errors, optimum: 0).Class;
        Assert.NotEqual(ConvergenceRateClass.Superlinear, rateClass);
        Assert.NotEqual(ConvergenceRateClass.Quadratic, rateClass);
    }

    [Fact]
    public void The_distance_to_the_optimum_drives_the_rate_when_logged()
    {
        // Newton-like distance, with a loss that only shows a linear-looking descent: the distance wins.
        var analyzer = new RunAnalyzer();
        var d = 0.5;
        for (var k = 0; k < 8; k++)
        {
            analyzer.Observe("loss", k, 3 * Math.Pow(0.5, k));
            analyzer.Observe(RunAnalyzer.DistanceSeries, k, d);
            d = d * d;
        }

        Assert.Equal("quadratic", analyzer.Snapshot().Rate.Class);
    }
}
