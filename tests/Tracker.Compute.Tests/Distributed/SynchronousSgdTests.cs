using Tracker.Compute.Compute;
using Tracker.Compute.Distributed;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Tests.Distributed;

public sealed class SynchronousSgdTests
{
    private static (Dataset Train, Dataset Validation) Data(string name) => Dataset.Load(name).Split(0.2, 3, true);

    private static double[] Run(ReferenceProblem problem, int workers, int globalBatch, int steps, double lr)
    {
        var x = new double[problem.Dimension];
        problem.InitialPoint(x, new Random(5));
        var sgd = new SynchronousSgd(problem, workers, globalBatch, new RowSampler(problem.TrainingRows, new Random(11)), new Random(13));
        for (var t = 0; t < steps; t++)
        {
            sgd.Step(x, lr);
        }

        return x;
    }

    [Theory]
    [InlineData(4, 8)]
    [InlineData(8, 5)]
    public void K_workers_times_b_equal_one_worker_times_Kb_on_logistic_regression(int workers, int batch)
    {
        var (train, validation) = Data("breast_cancer");
        var parallel = Run(new LinearModelProblem(train, validation, LinearModelLoss.Logistic, batchSize: batch), workers, workers * batch, 60, 0.5);
        var large = Run(new LinearModelProblem(train, validation, LinearModelLoss.Logistic, batchSize: workers * batch), 1, workers * batch, 60, 0.5);
        for (var i = 0; i < large.Length; i++)
        {
            Assert.Equal(large[i], parallel[i], 1e-12);
        }

        Assert.Contains(parallel, v => Math.Abs(v) > 1e-3);
    }

    [Fact]
    public void K_workers_equal_large_batch_on_an_mlp_and_full_batch_gd_with_uneven_shards()
    {
        var (train, validation) = Data("iris");
        var parallel = Run(new MlpProblem<double>(train, validation, 8, 1, batchSize: 6), 3, 18, 40, 0.1);
        var large = Run(new MlpProblem<double>(train, validation, 8, 1, batchSize: 18), 1, 18, 40, 0.1);
        for (var i = 0; i < large.Length; i++)
        {
            Assert.Equal(large[i], parallel[i], 1e-12);
        }

        // 120 training rows over 7 workers: shards of 18 and 17 rows, weighted by size, equal full-batch GD.
        var sharded = Run(new MlpProblem<double>(train, validation, 8, 1, batchSize: 18), 7, train.Rows, 30, 0.1);
        var full = new MlpProblem<double>(train, validation, 8, 1);
        var x = new double[full.Dimension];
        full.InitialPoint(x, new Random(5));
        var g = new double[x.Length];
        for (var t = 0; t < 30; t++)
        {
            full.Evaluate(x, g);
            for (var i = 0; i < x.Length; i++)
            {
                x[i] -= 0.1 * g[i];
            }
        }

        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i], sharded[i], 1e-12);
        }
    }

    [Fact]
    public void Dense_bytes_are_eight_per_double_per_worker_per_step_in_each_direction()
    {
        var (train, validation) = Data("iris");
        var problem = new LinearModelProblem(train, validation, LinearModelLoss.Logistic, batchSize: 4);
        var sgd = new SynchronousSgd(problem, 3, 12, new RowSampler(problem.TrainingRows, new Random(1)), new Random(2));
        var x = new double[problem.Dimension];
        for (var t = 0; t < 7; t++)
        {
            sgd.Step(x, 0.1);
        }

        // Up: 3 gradients per step; down: the parameters broadcast to 3 workers per step.
        Assert.Equal(7L * 3 * 8 * problem.Dimension, sgd.BytesUp);
        Assert.Equal(7L * 3 * 8 * problem.Dimension, sgd.BytesDown);
        Assert.Equal(2 * 7L * 3 * 8 * problem.Dimension, sgd.BytesCommunicated);
    }
}
