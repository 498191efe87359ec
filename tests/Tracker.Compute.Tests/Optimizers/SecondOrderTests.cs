using Tracker.Compute.Optimizers;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Tests.Optimizers;

public sealed class SecondOrderTests
{
    [Fact]
    public void Lbfgs_with_strong_wolfe_reaches_the_rosenbrock_minimum_within_40_iterations()
    {
        var problem = new RosenbrockProblem();
        var x = new double[2];
        problem.InitialPoint(x, new Random(0));
        var lbfgs = new LbfgsOptimizer(2, lr: 1, maxIter: 1, historySize: 10, strongWolfe: true);
        var iterations = 0;
        while (iterations < 40 && (Math.Abs(x[0] - 1) > 1e-5 || Math.Abs(x[1] - 1) > 1e-5))
        {
            lbfgs.Step(x, problem);
            iterations++;
        }

        Assert.InRange(iterations, 1, 40);
        Assert.Equal(1.0, x[0], 1e-5);
        Assert.Equal(1.0, x[1], 1e-5);
    }

    [Fact]
    public void Lbfgs_one_call_with_default_max_iter_solves_a_quadratic()
    {
        var problem = new QuadraticProblem(5, 100);
        var x = new double[5];
        problem.InitialPoint(x, new Random(0));
        var lbfgs = new LbfgsOptimizer(5, strongWolfe: true, maxIter: 50);
        lbfgs.Step(x, problem);
        Assert.True(problem.Loss(x) < 1e-9, $"f = {problem.Loss(x)}");
    }

    [Fact]
    public void Cubic_interpolation_finds_the_minimizer_of_a_cubic()
    {
        // p(t) = (t − 1)² (t + 2) = t³ − 3t + 2 has its local minimum at t = 1.
        static double P(double t) => (t * t * t) - (3 * t) + 2;
        static double Dp(double t) => (3 * t * t) - 3;
        var t = LbfgsOptimizer.CubicInterpolate(0, P(0), Dp(0), 2, P(2), Dp(2));
        Assert.Equal(1.0, t, 1e-12);
    }

    [Fact]
    public void Newton_solves_a_quadratic_in_one_step()
    {
        var problem = new QuadraticProblem(4, 1000);
        var x = new double[4];
        problem.InitialPoint(x, new Random(0));
        new NewtonOptimizer(4).Step(x, problem);
        Assert.All(x, v => Assert.Equal(0.0, v, 1e-12));
    }

    [Fact]
    public void Newton_converges_quadratically_on_rosenbrock()
    {
        var problem = new RosenbrockProblem();
        var x = new double[2];
        problem.InitialPoint(x, new Random(0));
        var newton = new NewtonOptimizer(2, lineSearch: true);
        var errors = new List<double>();
        for (var k = 0; k < 30 && errors.LastOrDefault(1) > 1e-14; k++)
        {
            newton.Step(x, problem);
            errors.Add(Math.Sqrt(((x[0] - 1) * (x[0] - 1)) + ((x[1] - 1) * (x[1] - 1))));
        }

        Assert.True(errors[^1] < 1e-12, $"final error {errors[^1]}");
        // In the last contracting steps e_{k+1} ≤ C e_k² with a moderate C.
        var tail = errors.Where(e => e is < 1e-1 and > 1e-7).ToList();
        Assert.True(tail.Count >= 2);
        for (var i = 0; i + 1 < tail.Count; i++)
        {
            Assert.True(tail[i + 1] <= 100 * tail[i] * tail[i], $"e={tail[i]} then {tail[i + 1]}");
        }
    }

    [Fact]
    public void Newton_damps_an_indefinite_hessian_into_a_descent_step()
    {
        var problem = new SaddleProblem(startX: 1, startY: 0.1);
        var x = new double[2];
        problem.InitialPoint(x, new Random(0));
        var f0 = problem.Loss(x);
        var newton = new NewtonOptimizer(2, lineSearch: true);
        newton.Step(x, problem);
        Assert.True(problem.Loss(x) < f0);
        Assert.True(newton.LastDamping > 0);
    }

    [Fact]
    public void Gradient_descent_contracts_by_kappa_minus_one_over_kappa_plus_one()
    {
        const double kappa = 10;
        var problem = new QuadraticProblem(2, kappa);
        var x = new double[2];
        problem.InitialPoint(x, new Random(0));
        var gd = new GradientDescent<double>(2, lr: 2 / (1 + kappa));
        var g = new double[2];
        var rate = (kappa - 1) / (kappa + 1);
        for (var k = 1; k <= 20; k++)
        {
            var before = Norm(x);
            problem.Evaluate(x, g);
            gd.Step(x, g);
            Assert.Equal(rate, Norm(x) / before, 1e-12);
        }
    }

    private static double Norm(double[] x) => Math.Sqrt(x.Sum(v => v * v));
}
