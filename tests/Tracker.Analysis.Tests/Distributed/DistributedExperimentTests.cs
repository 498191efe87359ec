using Tracker.Analysis.Experiments;

namespace Tracker.Analysis.Tests.Distributed;

public sealed class DistributedExperimentTests
{
    private sealed class ListSink : IMetricSink
    {
        public List<(long Step, string Key, double Value)> Points { get; } = [];

        public void Log(long step, string key, double value) => Points.Add((step, key, value));

        public double[] Series(string key) => [.. Points.Where(p => p.Key == key).Select(p => p.Value)];
    }

    [Fact]
    public void Runner_logs_loss_staleness_and_cumulative_bytes()
    {
        var sink = new ListSink();
        ExperimentRunner.Run(ExperimentSpec.FromJson("""{"solver":"async_sgd","problem":"logistic_regression","hyperparameters":{"lr":0.1,"workers":3,"batch_size":8,"compression":"topk","k_fraction":0.1},"steps":20}"""), sink);
        var bytes = sink.Series("bytes_communicated");
        Assert.Equal(21, sink.Series("loss").Length);
        Assert.Equal(0, bytes[0]);

        // breast_cancer: 30 features + intercept = 31 coordinates, k = ⌈3.1⌉ = 4, 12 bytes each, one message per step.
        Assert.Equal(20 * 4 * 12, bytes[^1]);
        Assert.Equal(2, sink.Series("staleness")[^1]);

        var sync = new ListSink();
        ExperimentRunner.Run(ExperimentSpec.FromJson("""{"solver":"sync_sgd","problem":"softmax_regression","hyperparameters":{"lr":0.1,"workers":4,"compression":"qsgd","levels":4},"steps":5}"""), sync);
        Assert.Equal(5 * 4 * (((15L * 4) + 64 + 7) / 8), sync.Series("bytes_communicated")[^1]);
        Assert.True(sync.Series("loss")[^1] < sync.Series("loss")[0]);
    }

    [Fact]
    public void Catalog_rejects_distributed_solvers_on_problems_without_data()
    {
        var errors = ExperimentCatalog.Validate(ExperimentSpec.FromJson("""{"solver":"sync_sgd","problem":"rosenbrock","hyperparameters":{"workers":0}}"""));
        Assert.Contains("problem", errors.Keys);
        Assert.Contains("hyperparameters.workers", errors.Keys);
    }
}
