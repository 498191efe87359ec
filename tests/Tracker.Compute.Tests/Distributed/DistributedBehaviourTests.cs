using Tracker.Compute.Compute;
using Tracker.Compute.Distributed;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Tests.Distributed;

/// <summary>The effects the distributed presets are meant to show, on real data with fixed seeds and wide margins.</summary>
public sealed class DistributedBehaviourTests
{
    private static LinearModelProblem Problem(string data, LinearModelLoss loss, int batch)
    {
        var (train, validation) = Dataset.Load(data).Split(0.2, 3, true);
        return new LinearModelProblem(train, validation, loss, batchSize: batch);
    }

    /// <summary>Training loss after <paramref name="updates"/> server updates of async SGD with equal-speed workers (steady staleness min(K − 1, τ)).</summary>
    private static double AsyncLoss(LinearModelLoss loss, int workers, int tau, bool aware, double lr, int updates)
    {
        var problem = Problem("breast_cancer", loss, 16);
        var sgd = new AsynchronousSgd(
            problem,
            new double[problem.Dimension],
            AsynchronousSgd.StragglerDurations(workers, 1),
            16,
            tau,
            aware,
            new RowSampler(problem.TrainingRows, new Random(11)),
            new Random(13)
        );
        for (var t = 0; t < updates; t++)
        {
            sgd.Step(lr);
        }

        return problem.Loss(sgd.Parameters);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void Stale_gradients_diverge_where_fresh_ones_converge_and_staleness_aware_lr_recovers(int workers)
    {
        // Least squares, lr 0.1: stable for fresh gradients, far past the ≈ 1/(τL) limit for staleness K − 1.
        const double Lr = 0.1;
        var start = Problem("breast_cancer", LinearModelLoss.Squared, 16).Loss(new double[31]);
        var fresh = AsyncLoss(LinearModelLoss.Squared, workers, 0, false, Lr, 500);
        var stale = AsyncLoss(LinearModelLoss.Squared, workers, workers, false, Lr, 500);
        var aware = AsyncLoss(LinearModelLoss.Squared, workers, workers, true, Lr, 500);

        Assert.True(fresh < start / 5, $"τ = 0 converges: {fresh} vs start {start}");
        Assert.True(!double.IsFinite(stale) || stale > 1e6 * start, $"τ = {workers} diverges: {stale}");
        Assert.True(aware < 1.5 * fresh, $"lr/(1+s) recovers: {aware} vs τ = 0 {fresh}");
    }

    [Fact]
    public void Stale_gradients_reach_a_worse_loss_and_staleness_aware_lr_recovers_most_of_the_gap()
    {
        // Logistic regression, lr 3, 16 workers: staleness 15 does not diverge here but ends several times worse.
        const double Lr = 3;
        var fresh = AsyncLoss(LinearModelLoss.Logistic, 16, 0, false, Lr, 500);
        var stale = AsyncLoss(LinearModelLoss.Logistic, 16, 16, false, Lr, 500);
        var aware = AsyncLoss(LinearModelLoss.Logistic, 16, 16, true, Lr, 500);

        Assert.True(stale > 3 * fresh, $"stale {stale} vs fresh {fresh}");
        Assert.True(stale - aware > 0.5 * (stale - fresh), $"aware {aware} recovers most of [{fresh}, {stale}]");
    }

    private static double TopKLoss(string data, double kFraction, bool errorFeedback)
    {
        var problem = Problem(data, LinearModelLoss.Logistic, 4);
        var x = new double[problem.Dimension];
        var sgd = new SynchronousSgd(
            problem,
            4,
            16,
            new RowSampler(problem.TrainingRows, new Random(11)),
            new Random(13),
            new CompressionSettings(CompressionKind.TopK, KFraction: kFraction, ErrorFeedback: errorFeedback)
        );
        for (var t = 0; t < 300; t++)
        {
            sgd.Step(x, 0.5);
        }

        return problem.Loss(x);
    }

    [Theory]
    [InlineData("wine")]
    [InlineData("breast_cancer")]
    public void TopK_with_error_feedback_reaches_a_lower_loss_than_without_and_close_to_dense(string data)
    {
        // k = 5 % of the coordinates (1 of 14 on wine, 2 of 31 on breast_cancer), 4 workers × 4 rows, 300 steps.
        var withFeedback = TopKLoss(data, 0.05, errorFeedback: true);
        var without = TopKLoss(data, 0.05, errorFeedback: false);
        var dense = TopKLoss(data, 1.0, errorFeedback: false);

        Assert.True(withFeedback < 0.75 * without, $"error feedback {withFeedback} vs none {without}");
        Assert.True(withFeedback < 1.1 * dense, $"error feedback {withFeedback} vs dense {dense}");
    }
}
