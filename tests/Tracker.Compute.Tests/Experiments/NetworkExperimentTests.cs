using Tracker.Compute.Experiments;
using Tracker.Compute.Optimizers;
using Tracker.Compute.Problems;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Tests.Experiments;

public sealed class NetworkExperimentTests
{
    private sealed class ListSink : IMetricSink
    {
        public List<(long Step, string Key, double Value)> Points { get; } = [];

        public void Log(long step, string key, double value) => Points.Add((step, key, value));

        public double[] Series(string key) => [.. Points.Where(p => p.Key == key).Select(p => p.Value)];
    }

    [Fact]
    public void Mlp_run_logs_per_layer_gradient_norms_that_add_up_to_the_total()
    {
        var spec = ExperimentSpec.FromJson(
            """{"solver":"adam","problem":"mlp","hyperparameters":{"lr":0.01,"width":16,"depth":2,"batch_size":32,"layer_norm":true,"residual":true,"dtype":"float32"},"init":{"name":"kaiming_normal"},"steps":20,"seed":1}"""
        );
        Assert.Empty(ExperimentCatalog.Validate(spec));
        var sink = new ListSink();
        ExperimentRunner.Run(spec, sink);
        var total = sink.Series("grad_norm/total");
        var layers = Enumerable.Range(0, 3).Select(l => sink.Series($"grad_norm/layer{l}")).ToArray();
        Assert.Equal(20, total.Length);
        Assert.Empty(sink.Series("grad_norm/layer3"));
        for (var t = 0; t < total.Length; t++)
        {
            Assert.Equal(total[t], Math.Sqrt(layers.Sum(l => l[t] * l[t])), 1e-6 * total[t]); // float32 norms
        }

        Assert.Equal(21, sink.Series("val_accuracy").Length);
        Assert.True(sink.Series("loss")[^1] < sink.Series("loss")[0]);
    }

    [Fact]
    public void A_float32_network_is_stepped_in_float32_as_pytorch_steps_a_float32_model()
    {
        var spec = ExperimentSpec.FromJson(
            """{"solver":"adam","problem":"mlp","hyperparameters":{"lr":0.01,"width":8,"depth":1,"batch_size":16,"dtype":"float32","dataset":"iris"},"steps":10,"seed":3}"""
        );
        var sink = new ListSink();
        ExperimentRunner.Run(spec, sink);

        // PyTorch's loop for a float32 model: parameters, gradients and Adam's moments are all float32 tensors.
        var values = new SpecValues(spec.Hyperparameters!, ExperimentCatalog.Solver("adam")!.Parameters.Concat(ExperimentCatalog.Problem("mlp")!.Parameters));
        var problem = (MlpProblem<float>)ExperimentProblems.Create(spec, values);
        var rng = new Random(spec.Seed);
        var start = new double[problem.Dimension];
        problem.InitialPoint(start, rng);
        var x = Array.ConvertAll(start, v => (float)v);
        var g = new float[x.Length];
        var adam = new Adam<float>(x.Length, lr: 0.01);
        var expected = new List<double> { problem.ScoreTraining(x).Loss };
        for (var t = 1; t <= spec.Steps; t++)
        {
            problem.NextBatch(rng);
            problem.EvaluateBatch(x, g);
            adam.Step(x, g);
            expected.Add(problem.ScoreTraining(x).Loss);
        }

        Assert.Equal(expected, sink.Series("loss"));

        // Stepping a double copy of the parameters (what the server did before) follows another trajectory.
        var problemDouble = (MlpProblem<float>)ExperimentProblems.Create(spec, values);
        var rngDouble = new Random(spec.Seed);
        var xd = new double[problemDouble.Dimension];
        problemDouble.InitialPoint(xd, rngDouble);
        var gd = new double[xd.Length];
        var adamDouble = new Adam<double>(xd.Length, lr: 0.01);
        for (var t = 1; t <= spec.Steps; t++)
        {
            problemDouble.NextBatch(rngDouble);
            problemDouble.Evaluate(xd, gd);
            adamDouble.Step(xd, gd);
        }

        Assert.NotEqual(expected[^1], problemDouble.Loss(xd));
    }

    [Fact]
    public void Softmax_regression_on_iris_starts_at_log_three_and_classifies_well()
    {
        var spec = ExperimentSpec.FromJson(
            """{"solver":"lbfgs","problem":"softmax_regression","hyperparameters":{"dataset":"iris","max_iter":20},"steps":10,"seed":0}"""
        );
        var sink = new ListSink();
        ExperimentRunner.Run(spec, sink);
        Assert.Equal(Math.Log(3), sink.Series("loss")[0], 1e-12);
        Assert.Equal(Math.Log(3), sink.Series("val_loss")[0], 1e-12);
        Assert.True(sink.Series("val_accuracy")[^1] >= 0.9);
        Assert.True(sink.Series("loss")[^1] < 0.1);
    }

    [Fact]
    public void Omitted_spec_fields_keep_their_defaults()
    {
        var spec = ExperimentSpec.FromJson("""{"solver":"gd","problem":"quadratic"}""");
        Assert.Equal(100, spec.Steps);
        Assert.Equal(1, spec.EvalEvery);
        Assert.NotNull(spec.Hyperparameters);
        Assert.Empty(ExperimentCatalog.Validate(spec));
    }

    [Fact]
    public void Init_is_validated_against_the_catalog()
    {
        Assert.Contains(
            "init",
            ExperimentCatalog.Validate(ExperimentSpec.FromJson("""{"solver":"gd","problem":"quadratic","init":{"name":"xavier_uniform"}}""")).Keys
        );
        Assert.Contains(
            "init.name",
            ExperimentCatalog.Validate(ExperimentSpec.FromJson("""{"solver":"gd","problem":"mlp","init":{"name":"orthogonal"}}""")).Keys
        );
        Assert.Contains(
            "init.mode",
            ExperimentCatalog.Validate(ExperimentSpec.FromJson("""{"solver":"gd","problem":"mlp","init":{"name":"kaiming_uniform","mode":"fan_avg"}}""")).Keys
        );
        Assert.Empty(ExperimentCatalog.Validate(ExperimentSpec.FromJson("""{"solver":"gd","problem":"mlp","init":{"name":"normal","std":1}}""")));
        Assert.Contains("xavier_normal", ExperimentCatalog.Document.Initializers.Select(i => i.Name));
    }
}
