using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Tests.Distributed;

public sealed class DistributedExperimentTests
{
    private sealed class ListSink : IMetricSink
    {
        public List<(long Step, string Key, double Value)> Points { get; } = [];

        public void Log(long step, string key, double value) => Points.Add((step, key, value));

        public double[] Series(string key) => [.. Points.Where(p => p.Key == key).Select(p => p.Value)];
    }

    [Fact]
    public void Runner_logs_loss_staleness_and_cumulative_bytes_in_both_directions()
    {
        var sink = new ListSink();
        ExperimentRunner.Run(
            ExperimentSpec.FromJson(
                """{"solver":"async_sgd","problem":"logistic_regression","hyperparameters":{"lr":0.1,"workers":3,"batch_size":8,"compression":"topk","k_fraction":0.1},"steps":20}"""
            ),
            sink
        );
        var up = sink.Series("bytes_up");
        var down = sink.Series("bytes_down");
        var total = sink.Series("bytes_communicated");
        Assert.Equal(21, sink.Series("loss").Length);
        Assert.Equal(21, up.Length);
        Assert.Equal([0, 0, 0], new[] { up[0], down[0], total[0] });

        // breast_cancer: 30 features + intercept = 31 coordinates, k = ⌈3.1⌉ = 4, 12 bytes each, one message per step;
        // down: one dense pull of the 31 parameters per applied gradient.
        Assert.Equal(20 * 4 * 12, up[^1]);
        Assert.Equal(20 * 31 * 8, down[^1]);
        for (var t = 0; t < total.Length; t++)
        {
            Assert.Equal(up[t] + down[t], total[t]);
        }

        Assert.Equal(2, sink.Series("staleness")[^1]);

        var sync = new ListSink();
        ExperimentRunner.Run(
            ExperimentSpec.FromJson(
                """{"solver":"sync_sgd","problem":"softmax_regression","hyperparameters":{"lr":0.1,"workers":4,"compression":"qsgd","levels":4},"steps":5}"""
            ),
            sync
        );
        // iris softmax regression: 3 classes × (4 features + intercept) = 15 parameters; QSGD s = 4 up, dense parameters down to 4 workers.
        var qsgdUp = 5 * 4 * (((15L * 4) + 64 + 7) / 8);
        var denseDown = 5 * 4 * 15L * 8;
        Assert.Equal(qsgdUp, sync.Series("bytes_up")[^1]);
        Assert.Equal(denseDown, sync.Series("bytes_down")[^1]);
        Assert.Equal(qsgdUp + denseDown, sync.Series("bytes_communicated")[^1]);
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
