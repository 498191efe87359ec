using Tracker.Compute.Compute;
using Tracker.Compute.Distributed;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Tests.Distributed;

public sealed class AsynchronousSgdTests
{
    private static LinearModelProblem Problem(int batch)
    {
        var (train, validation) = Dataset.Load("breast_cancer").Split(0.2, 3, true);
        return new LinearModelProblem(train, validation, LinearModelLoss.Logistic, batchSize: batch);
    }

    private static AsynchronousSgd Async(LinearModelProblem problem, double[] durations, int tau, bool aware) =>
        new(problem, new double[problem.Dimension], durations, 4, tau, aware, new RowSampler(problem.TrainingRows, new Random(11)), new Random(13));

    [Theory]
    [InlineData(4, 8, 3)]
    [InlineData(6, 2, 2)]
    [InlineData(5, 0, 0)]
    public void Equal_speeds_give_staleness_0_to_K_minus_1_then_K_minus_1_capped_by_tau(int workers, int tau, int steady)
    {
        var sgd = Async(Problem(4), AsynchronousSgd.StragglerDurations(workers, 1), tau, false);
        for (var t = 0; t < workers; t++)
        {
            Assert.Equal(Math.Min(t, tau), sgd.Step(0.1));
            Assert.Equal(t, sgd.LastWorker);
        }

        for (var t = 0; t < 5 * workers; t++)
        {
            Assert.Equal(steady, sgd.Step(0.1));
        }
    }

    [Fact]
    public void One_worker_is_plain_sgd()
    {
        var a = Problem(4);
        var sgd = Async(a, [1.0], 3, true);
        var b = Problem(4);
        var sync = new SynchronousSgd(b, 1, 4, new RowSampler(b.TrainingRows, new Random(11)), new Random(13));
        var x = new double[b.Dimension];
        for (var t = 0; t < 50; t++)
        {
            Assert.Equal(0, sgd.Step(0.3));
            sync.Step(x, 0.3);
        }

        Assert.Equal(x, sgd.Parameters.ToArray());
    }

    [Fact]
    public void First_round_applies_gradients_at_the_start_with_lr_over_one_plus_staleness()
    {
        const int Workers = 4;
        const double Lr = 0.5;
        var sgd = Async(Problem(4), AsynchronousSgd.StragglerDurations(Workers, 1), 8, true);
        for (var t = 0; t < Workers; t++)
        {
            sgd.Step(Lr);
        }

        // Every worker read x₀ = 0; the j-th arrival has staleness j: x = −Σⱼ lr/(1+j)·gⱼ(x₀) on the j-th 4 rows of the stream.
        var reference = Problem(4);
        var sampler = new RowSampler(reference.TrainingRows, new Random(11));
        var rows = new int[4];
        var g = new double[reference.Dimension];
        var expected = new double[reference.Dimension];
        for (var j = 0; j < Workers; j++)
        {
            sampler.Next(rows);
            reference.UseRows(rows);
            reference.Evaluate(new double[reference.Dimension], g);
            for (var i = 0; i < g.Length; i++)
            {
                expected[i] -= Lr / (1 + j) * g[i];
            }
        }

        for (var i = 0; i < g.Length; i++)
        {
            Assert.Equal(expected[i], sgd.Parameters[i], 1e-14);
        }
    }

    [Fact]
    public void A_straggler_returns_staler_gradients()
    {
        // Durations 1, 1, 1, 4: the fast three deliver 3 updates per time unit, so the straggler's gradient is 3·4 = 12 updates old in steady state.
        var sgd = Async(Problem(4), AsynchronousSgd.StragglerDurations(4, 4), 64, false);
        var fast = new List<int>();
        var slow = new List<int>();
        for (var t = 0; t < 200; t++)
        {
            var s = sgd.Step(0.05);
            (sgd.LastWorker == 3 ? slow : fast).Add(s);
        }

        Assert.Equal(12, slow[^1]);
        Assert.Equal(2, fast[^1]);
        Assert.True(slow.Skip(1).Min() > fast.Max());
        Assert.Equal(200 / 13, slow.Count);
    }
}
