using System.Text.Json;
using Tracker.Compute.Classic;
using Tracker.Compute.Compute;
using Tracker.Compute.Experiments;
using Tracker.Compute.Optimizers;
using Tracker.Compute.Problems;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Tests.Experiments;

public sealed class RunnerLoggingTests
{
    private sealed class ListSink : IMetricSink
    {
        public List<(long Step, string Key, double Value)> Points { get; } = [];

        public void Log(long step, string key, double value) => Points.Add((step, key, value));

        public double[] Series(string key) => [.. Points.Where(p => p.Key == key).Select(p => p.Value)];

        public long[] Steps(string key) => [.. Points.Where(p => p.Key == key).Select(p => p.Step)];
    }

    private static ListSink Run(string json)
    {
        var sink = new ListSink();
        ExperimentRunner.Run(ExperimentSpec.FromJson(json), sink);
        return sink;
    }

    [Fact]
    public void Gd_with_robbins_monro_logs_the_decayed_lr_it_applies()
    {
        var sink = Run("""{"solver":"gd","problem":"quadratic","hyperparameters":{"lr":0.1,"robbins_monro":true},"steps":20}""");
        var lr = sink.Series("lr");
        Assert.Equal(20, lr.Length);
        for (var t = 1; t <= 20; t++)
        {
            Assert.Equal(0.1 / t, lr[t - 1], 15);
        }

        // and the iterate moved by exactly that: on ½(x₁² + 10x₂²) from (1, 1), x₁ after step 1 is 1 − 0.1·1.
        Assert.Equal(Math.Sqrt((0.9 * 0.9) + 0.0), sink.Series("dist_to_opt")[1], 12);
    }

    [Fact]
    public void Adagrad_logs_its_lr_decay_and_a_schedule_is_logged_as_applied()
    {
        var adagrad = Run("""{"solver":"adagrad","problem":"quadratic","hyperparameters":{"lr":0.5,"lr_decay":0.1},"steps":5}""").Series("lr");
        for (var t = 1; t <= 5; t++)
        {
            Assert.Equal(0.5 / (1 + ((t - 1) * 0.1)), adagrad[t - 1], 15);
        }

        var sqrt = Run("""{"solver":"sgd","problem":"quadratic","hyperparameters":{"lr":0.2},"schedule":{"name":"inverse_sqrt"},"steps":9}""").Series("lr");
        for (var t = 1; t <= 9; t++)
        {
            Assert.Equal(0.2 / Math.Sqrt(t), sqrt[t - 1], 15);
        }
    }

    [Fact]
    public void Quadratic_and_rosenbrock_log_distance_and_suboptimality_from_their_known_optima()
    {
        // ½(1·1² + 10·1²) = 5.5 at (1, 1), ‖(1, 1)‖ = √2; Rosenbrock at (−1.2, 1): (2.2)² + 100·(1 − 1.44)² = 24.2, ‖(−2.2, 0)‖ = 2.2.
        var quadratic = Run("""{"solver":"gd","problem":"quadratic","hyperparameters":{"lr":0.01},"steps":3}""");
        Assert.Equal(5.5, quadratic.Series("suboptimality")[0], 14);
        Assert.Equal(Math.Sqrt(2), quadratic.Series("dist_to_opt")[0], 14);
        var rosenbrock = Run("""{"solver":"lbfgs","problem":"rosenbrock","hyperparameters":{"max_iter":1},"steps":60}""");
        Assert.Equal(24.2, rosenbrock.Series("suboptimality")[0], 12);
        Assert.Equal(2.2, rosenbrock.Series("dist_to_opt")[0], 14);
        Assert.True(rosenbrock.Series("dist_to_opt")[^1] < 1e-4);
        Assert.Equal(rosenbrock.Series("loss"), rosenbrock.Series("suboptimality"));
    }

    [Theory]
    [InlineData(0.25, -1.0)]
    [InlineData(0.5, -0.5)]
    [InlineData(1.0, -0.25)]
    public void Symmetric_saddle_has_minima_at_plus_minus_one_over_root_2q_with_value_minus_one_over_4q(double q, double optimum)
    {
        var saddle = new SaddleProblem(q);
        Assert.Equal(optimum, saddle.OptimalLoss!.Value, 14);
        Assert.Equal(2, saddle.Minimizers.Length);
        Assert.Equal(1 / Math.Sqrt(2 * q), Math.Abs(saddle.Minimizers[0]), 12);
        Assert.Equal(-saddle.Minimizers[0], saddle.Minimizers[1], 12);
        Assert.Equal(1.0, saddle.DistanceToOptimum([0, (1 / Math.Sqrt(2 * q)) + 1]), 12);
    }

    [Fact]
    public void Tilted_saddle_minimizers_are_the_outer_roots_of_the_cubic_and_the_global_one_comes_first()
    {
        // q = 1/4, s = 0.3: y³ − 2y + 0.3 = 0. Its roots (trigonometric form: y = 2√(2/3)·cos(θ/3 − 2πk/3) with
        // cos θ = −0.3/(2·(2/3)^{3/2})) are −1.4908…, 0.1511… and 1.3397…; the outer two are minima, the negative one global.
        var saddle = new SaddleProblem(0.25, tilt: 0.3);
        var r = 2 * Math.Sqrt(2.0 / 3);
        var theta = Math.Acos(-0.3 / (2 * Math.Pow(2.0 / 3, 1.5)));
        double[] roots = [.. Enumerable.Range(0, 3).Select(k => r * Math.Cos((theta / 3) - (2 * Math.PI * k / 3))).Order()];
        Assert.Equal(roots[0], saddle.Minimizers[0], 12);
        Assert.Equal(roots[2], saddle.Minimizers[1], 12);
        Assert.Equal(-(roots[0] * roots[0]) + (0.25 * Math.Pow(roots[0], 4)) + (0.3 * roots[0]), saddle.OptimalLoss!.Value, 12);
    }

    [Fact]
    public void Least_squares_minimizer_solves_the_normal_equations()
    {
        // Labels that are exactly y = 2·x₁ − x₂ + 1: the least-squares minimizer is (2, −1, 1) with f* = 0.
        double[] features = [0, 0, 1, 1, 2, 1, 3, 5, 1, 3, 4, 2, 0, 1];
        var labels = Enumerable.Range(0, 7).Select(i => (int)((2 * features[2 * i]) - features[(2 * i) + 1] + 1)).ToArray();
        var train = new Dataset("line", features, labels, 2);
        var problem = new LinearModelProblem(train, new Dataset("none", [], [], 2), LinearModelLoss.Squared);
        var theta = problem.Minimizer()!;
        Assert.Equal(2, theta[0], 10);
        Assert.Equal(-1, theta[1], 10);
        Assert.Equal(1, theta[2], 10);
        Assert.Equal(0, problem.OptimalLoss!.Value, 12);
        Assert.Null(new LinearModelProblem(train, new Dataset("none", [], [], 2), LinearModelLoss.Logistic).OptimalLoss);
    }

    [Fact]
    public void Least_squares_on_wine_has_a_stationary_point_at_its_minimizer()
    {
        // Raw wine features are badly scaled (κ in the millions): the refined Cholesky solution still zeroes the gradient.
        var (train, validation) = Dataset.Load("wine").Split(0.2, 0, standardize: false);
        var problem = new LinearModelProblem(train, validation, LinearModelLoss.Squared);
        var theta = problem.Minimizer()!;
        var gradient = new double[theta.Length];
        problem.Evaluate(theta, gradient);
        var zero = new double[theta.Length];
        var g0 = new double[theta.Length];
        problem.Evaluate(zero, g0);
        Assert.True(System.Numerics.Tensors.TensorPrimitives.Norm(gradient) < 1e-8 * System.Numerics.Tensors.TensorPrimitives.Norm(g0));
    }

    [Fact]
    public void Em_and_kmeans_log_a_monotone_loss_and_end_converged()
    {
        var em = Run("""{"solver":"gmm","problem":"iris","hyperparameters":{"n_components":3,"tol":1e-6},"steps":100}""");
        var loss = em.Series("loss");
        Assert.Equal(em.Series("log_likelihood").Select(v => -v), loss);
        Assert.True(loss.Length >= 20);
        for (var i = 1; i < loss.Length; i++)
        {
            Assert.True(loss[i] <= loss[i - 1] + 1e-12);
        }

        Assert.Equal(1, em.Series("converged").Single());

        // scikit-learn's KMeans(3, n_init=10) on iris: inertia 78.851441426146 (≈78.85 in its documentation), 150 rows.
        var kmeans = Run("""{"solver":"kmeans","problem":"iris","hyperparameters":{"n_clusters":3},"steps":300}""");
        var kLoss = kmeans.Series("loss");
        Assert.Equal(78.851441426146 / 150, kLoss[^1], 9);
        Assert.Equal(0, kmeans.Steps("loss")[0]);
        for (var i = 1; i < kLoss.Length; i++)
        {
            Assert.True(kLoss[i] <= kLoss[i - 1] + 1e-12);
        }

        Assert.Equal(1, kmeans.Series("converged").Single());
    }

    [Fact]
    public void Perceptron_on_separable_iris_makes_at_most_novikoff_many_mistakes_and_ends_with_no_error()
    {
        var sink = Run("""{"solver":"perceptron","problem":"iris","hyperparameters":{"positive_class":0,"negative_class":1},"steps":1000}""");
        var mistakes = sink.Series("mistakes")[^1];
        var bound = sink.Series("novikoff_bound").Single();
        Assert.True(mistakes >= 1 && mistakes <= bound, $"{mistakes} mistakes vs Novikoff's bound {bound}");
        Assert.Equal(1, sink.Series("loss")[0]);
        Assert.Equal(0, sink.Series("loss")[^1]);
        Assert.Equal(1, sink.Series("converged").Single());
    }

    [Fact]
    public void Novikoff_bound_holds_for_a_separable_set_with_a_known_margin()
    {
        // Points (±1, ±2)-style on either side of x₁ = 0 with bias: the max-margin separator is x₁ = 0 with margin 1 for
        // rows (±1, y, 1) of norm ≤ √(1 + 4 + 1) = √6, so Novikoff allows at most R²/γ*² = 6/1 … and our bound, from the
        // final separator's margin (≤ γ*), is at least that.
        double[] x = [1, 2, -1, 2, 1, -2, -1, -2, 1, 0, -1, 0];
        int[] positive = [1, 0, 1, 0, 1, 0];
        var result = Perceptron.Train(x, 6, 2, positive);
        Assert.True(result.Converged);
        Assert.True(result.NovikoffBound >= 6 - 1e-9);
        Assert.True(result.Updates <= result.NovikoffBound);
        Assert.True(result.Updates <= 6);
    }

    [Fact]
    public void Reddi_counterexample_drives_adam_to_the_worst_point_and_amsgrad_to_the_optimum()
    {
        // Reddi, Kale & Kumar (2018), Theorem 1 with C = 3: β₁ = 0, β₂ = 1/(1 + C²) = 0.1, α_t = α/√t.
        const string common = """ "problem":"reddi_counterexample","schedule":{"name":"inverse_sqrt"},"steps":3000 """;
        var adam = Run($$"""{"solver":"adam","hyperparameters":{"lr":0.5,"betas":[0.0,0.1]},{{common}}}""");
        var amsgrad = Run($$"""{"solver":"adam","hyperparameters":{"lr":0.5,"betas":[0.0,0.1],"amsgrad":true},{{common}}}""");
        // F(x) = (C − 2)x/3 = x/3, F* = −1/3 at x* = −1.
        Assert.Equal(2, adam.Series("dist_to_opt")[^1], 2);
        Assert.Equal(2.0 / 3, adam.Series("suboptimality")[^1], 2);
        Assert.True(amsgrad.Series("dist_to_opt")[^1] < 0.05);
        Assert.Equal(-1.0 / 3, amsgrad.Series("loss")[^1] - amsgrad.Series("suboptimality")[^1], 12);
    }

    [Fact]
    public void Amsgrad_step_matches_the_hand_computed_update()
    {
        // β₁ = β₂ = ½, ε = 0, lr 1, x₀ = 0, gradients 2 then 0 (PyTorch's rule).
        // t = 1: m = 1, v = 2, v_max = 2; m̂ = 2, √v̂ = √(2/0.5) = 2 → x₁ = −1 (Adam and AMSGrad alike).
        // t = 2: m = ½, v = 1, v_max = 2; m̂ = ½/0.75 = ⅔; AMSGrad √(2/0.75) → step 1/√6; Adam √(1/0.75) → step 1/√3.
        var ams = new Adam<double>(1, lr: 1, beta1: 0.5, beta2: 0.5, eps: 0, amsgrad: true);
        var adam = new Adam<double>(1, lr: 1, beta1: 0.5, beta2: 0.5, eps: 0);
        double[] a = [0],
            b = [0];
        ams.Step(a, [2.0]);
        adam.Step(b, [2.0]);
        Assert.Equal(-1, a[0], 15);
        Assert.Equal(-1, b[0], 15);
        ams.Step(a, [0.0]);
        adam.Step(b, [0.0]);
        Assert.Equal(-1 - (1 / Math.Sqrt(6)), a[0], 14);
        Assert.Equal(-1 - (1 / Math.Sqrt(3)), b[0], 14);
    }

    [Fact]
    public void Label_noise_flips_exactly_the_asked_fraction_to_other_classes_and_a_subset_keeps_the_class_count()
    {
        var digits = Dataset.Load("digits");
        var noisy = digits.WithLabelNoise(0.2, 3);
        var changed = Enumerable.Range(0, digits.Rows).Count(i => noisy.Labels[i] != digits.Labels[i]);
        Assert.Equal((int)Math.Round(0.2 * digits.Rows), changed);
        Assert.All(noisy.Labels, l => Assert.InRange(l, 0, 9));
        var few = digits.Take(5);
        Assert.Equal(5, few.Rows);
        Assert.Equal(10, few.Classes);
    }

    [Fact]
    public void Analysis_hints_give_the_known_optimum_and_the_number_of_classes()
    {
        static AnalysisHints Hints(string json) => AnalysisHints.For(ExperimentSpec.FromJson(json));
        Assert.Equal(new AnalysisHints(0, null), Hints("""{"solver":"gd","problem":"quadratic"}"""));
        Assert.Equal(new AnalysisHints(0, null), Hints("""{"solver":"newton","problem":"rosenbrock"}"""));
        Assert.Equal(-0.5, Hints("""{"solver":"gd","problem":"saddle","hyperparameters":{"quartic":0.5}}""").OptimalLoss!.Value, 14);
        Assert.Equal(-1.0 / 3, Hints("""{"solver":"adam","problem":"reddi_counterexample"}""").OptimalLoss!.Value, 14);
        Assert.Equal(2, Hints("""{"solver":"sgd","problem":"logistic_regression"}""").NumClasses);
        Assert.Equal(3, Hints("""{"solver":"sgd","problem":"softmax_regression","hyperparameters":{"dataset":"iris"}}""").NumClasses);
        Assert.Equal(3, Hints("""{"solver":"sgd","problem":"softmax_regression","hyperparameters":{"dataset":"wine"}}""").NumClasses);
        Assert.Equal(10, Hints("""{"solver":"sgd","problem":"mlp","hyperparameters":{"dataset":"digits"}}""").NumClasses);
        Assert.Equal(2, Hints("""{"solver":"sync_sgd","problem":"mlp","hyperparameters":{"dataset":"breast_cancer"}}""").NumClasses);
        Assert.Equal(new AnalysisHints(null, null), Hints("""{"solver":"kmeans","problem":"iris"}"""));
        Assert.True(Hints("""{"solver":"gd","problem":"linear_regression"}""").OptimalLoss > 0);
    }

    [Fact]
    public void Every_problem_in_the_catalog_says_whether_it_is_convex()
    {
        var problems = ExperimentCatalog.Document.Problems;
        Assert.All(problems, p => Assert.NotNull(p.Convex));
        Assert.True(ExperimentCatalog.Problem("quadratic")!.Convex);
        Assert.True(ExperimentCatalog.Problem("logistic_regression")!.Convex);
        Assert.False(ExperimentCatalog.Problem("mlp")!.Convex);
        Assert.False(ExperimentCatalog.Problem("rosenbrock")!.Convex);
        Assert.False(ExperimentCatalog.Problem("saddle")!.Convex);
        var json = JsonSerializer.Serialize(ExperimentCatalog.Document, ExperimentJsonContext.Default.ExperimentCatalogDocument);
        Assert.Contains("\"convex\":true", json);
    }
}
