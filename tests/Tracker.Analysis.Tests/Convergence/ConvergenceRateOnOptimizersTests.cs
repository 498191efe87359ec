using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

/// <summary>The rate estimator on optimizer runs whose rate is known from theory.</summary>
public sealed class ConvergenceRateOnOptimizersTests
{
    [Theory]
    [InlineData(4.0)]
    [InlineData(10.0)]
    public void Gradient_descent_on_a_quadratic_with_optimal_step_is_linear_with_the_condition_number_rate(double kappa)
    {
        // f(x, y) = ½(x² + κy²), step 2/(1+κ): both coordinates contract by (κ−1)/(κ+1) per
        // step, so f contracts by its square.
        var step = 2 / (1 + kappa);
        double x = 1,
            y = 1;
        var estimator = new ConvergenceRateEstimator();
        for (var t = 1; t <= 60; t++)
        {
            estimator.Observe(t, 0.5 * ((x * x) + (kappa * y * y)));
            x -= step * x;
            y -= step * kappa * y;
        }

        var rate = estimator.Estimate();
        var c = (kappa - 1) / (kappa + 1);
        Assert.Equal(ConvergenceRateClass.Linear, rate.Class);
        Assert.Equal(c * c, rate.Constants["c"], 3);
    }

    [Fact]
    public void Sgd_with_step_one_over_t_on_a_strongly_convex_problem_is_sublinear_with_p_near_one()
    {
        // f(x) = ½x², gradient x + ξ with ξ ~ U(−1, 1), η_t = 1/t; the expected suboptimality
        // (averaged over runs) decays as O(1/t).
        const int runs = 400;
        const int steps = 2000;
        var mean = new double[steps];
        var random = new Random(42);
        for (var r = 0; r < runs; r++)
        {
            double x = 1;
            for (var t = 1; t <= steps; t++)
            {
                mean[t - 1] += 0.5 * x * x / runs;
                var g = x + ((2 * random.NextDouble()) - 1);
                x -= g / t;
            }
        }

        var estimator = new ConvergenceRateEstimator(optimum: 0);
        for (var t = 10; t <= steps; t++)
        {
            estimator.Observe(t, mean[t - 1]);
        }

        var rate = estimator.Estimate();
        Assert.Equal(ConvergenceRateClass.Sublinear, rate.Class);
        Assert.InRange(rate.Constants["p"], 0.8, 1.2);
    }

    [Fact]
    public void Newton_near_the_optimum_is_quadratic()
    {
        // f(x) = eˣ − 2x, minimum at ln 2 with f* = 2 − 2 ln 2; Newton: x ← x − (eˣ − 2)/eˣ.
        var x = 1.5;
        var optimum = 2 - (2 * Math.Log(2));
        var estimator = new ConvergenceRateEstimator(optimum);
        for (var t = 1; t <= 6; t++)
        {
            estimator.Observe(t, Math.Exp(x) - (2 * x));
            x -= (Math.Exp(x) - 2) / Math.Exp(x);
        }

        Assert.Equal(ConvergenceRateClass.Quadratic, estimator.Estimate().Class);
    }

    [Fact]
    public void Secant_quasi_newton_is_superlinear()
    {
        // The secant method on f'(x) = eˣ − 2 (a 1-D quasi-Newton method) converges with order φ ≈ 1.618.
        var optimum = 2 - (2 * Math.Log(2));
        double previous = 1.6,
            x = 1.5;
        var estimator = new ConvergenceRateEstimator(optimum);
        for (var t = 1; t <= 9; t++)
        {
            estimator.Observe(t, Math.Exp(x) - (2 * x));
            var g = Math.Exp(x) - 2;
            var gPrevious = Math.Exp(previous) - 2;
            var next = x - (g * (x - previous) / (g - gPrevious));
            previous = x;
            x = next;
        }

        Assert.Equal(ConvergenceRateClass.Superlinear, estimator.Estimate().Class);
    }
}
