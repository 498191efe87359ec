using System.Text.Json;
using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Tests.Experiments;

public sealed class ExperimentRunnerTests
{
    private sealed class ListSink : IMetricSink
    {
        public List<(long Step, string Key, double Value)> Points { get; } = [];

        public void Log(long step, string key, double value) => Points.Add((step, key, value));

        public double[] Series(string key) => [.. Points.Where(p => p.Key == key).Select(p => p.Value)];
    }

    [Fact]
    public void Catalog_serializes_and_rejects_unknown_or_out_of_range_parameters()
    {
        var json = JsonSerializer.Serialize(ExperimentCatalog.Document, ExperimentJsonContext.Default.ExperimentCatalogDocument);
        Assert.Contains("\"lbfgs\"", json);
        var spec = ExperimentSpec.FromJson("""{"solver":"adam","problem":"rosenbrock","hyperparameters":{"lr":-1,"bogus":1},"steps":10}""");
        var errors = ExperimentCatalog.Validate(spec);
        Assert.Contains("hyperparameters.lr", errors.Keys);
        Assert.Contains("hyperparameters.bogus", errors.Keys);
        Assert.Empty(
            ExperimentCatalog.Validate(
                ExperimentSpec.FromJson("""{"solver":"adam","problem":"rosenbrock","hyperparameters":{"lr":0.1,"betas":[0.9,0.999]},"steps":10}""")
            )
        );
    }

    [Fact]
    public void Every_preset_is_valid_and_runs()
    {
        foreach (var spec in ExperimentPresets.All.SelectMany(p => ExperimentSweep.Expand(p.Spec)))
        {
            Assert.Empty(ExperimentCatalog.Validate(spec));
            var sink = new ListSink();
            ExperimentRunner.Run(spec, sink);
            Assert.NotEmpty(sink.Points);
        }
    }

    [Fact]
    public void Gd_run_logs_start_loss_and_contracts_like_the_closed_form()
    {
        var sink = new ListSink();
        ExperimentRunner.Run(ExperimentPresets.All.Single(p => p.Name == "lr-just-right").Spec, sink);
        var loss = sink.Series("loss");
        Assert.Equal(51, loss.Length);
        Assert.Equal(0.5 * (1 + 10), loss[0], 1e-12);
        var rate = 9.0 / 11;
        Assert.Equal(loss[0] * Math.Pow(rate, 2 * 10), loss[10], 1e-10);
        Assert.Equal(50, sink.Series("lr").Length);
    }

    [Fact]
    public void Same_seed_gives_the_same_trajectory_for_minibatch_logistic_regression()
    {
        var spec = ExperimentSpec.FromJson(
            """{"solver":"sgd","problem":"logistic_regression","hyperparameters":{"lr":0.1,"momentum":0.9,"batch_size":32},"schedule":{"name":"cosine","T_max":50},"clip":{"max_norm":1.0},"steps":50,"seed":3}"""
        );
        var a = new ListSink();
        var b = new ListSink();
        ExperimentRunner.Run(spec, a);
        ExperimentRunner.Run(spec, b);
        Assert.Equal(a.Points, b.Points);
        Assert.True(a.Series("val_loss")[^1] < a.Series("val_loss")[0]);
    }
}
