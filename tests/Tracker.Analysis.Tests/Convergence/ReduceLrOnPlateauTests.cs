using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class ReduceLrOnPlateauTests
{
    private static List<double> Trace(ReduceLrOnPlateau scheduler, params double[] metrics)
    {
        var lrs = new List<double>();
        foreach (var m in metrics)
        {
            scheduler.Step(m);
            lrs.Add(scheduler.LearningRate);
        }

        return lrs;
    }

    [Fact]
    public void Min_rel_needs_to_beat_best_times_one_minus_threshold()
    {
        // best 10 → 9.5 and 9.2 are not below 10·0.9 = 9: two bad → reduce; 8 < 9 is better;
        // then 8, 8 are not below 7.2: reduce again.
        var s = new ReduceLrOnPlateau(
            1.0,
            new()
            {
                Factor = 0.5,
                Patience = 1,
                Threshold = 0.1,
                ThresholdMode = ThresholdMode.Rel,
            }
        );
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.5, 0.25], Trace(s, 10, 9.5, 9.2, 8.0, 8.0, 8.0));
    }

    [Fact]
    public void Min_abs_needs_to_beat_best_minus_threshold()
    {
        // 9.5 < 9.9, 9.2 < 9.4 and 8 < 9.1 all improve; the two 8s are bad → reduce on the second.
        var s = new ReduceLrOnPlateau(
            1.0,
            new()
            {
                Factor = 0.5,
                Patience = 1,
                Threshold = 0.1,
                ThresholdMode = ThresholdMode.Abs,
            }
        );
        Assert.Equal([1.0, 1.0, 1.0, 1.0, 1.0, 0.5], Trace(s, 10, 9.5, 9.2, 8.0, 8.0, 8.0));
    }

    [Fact]
    public void Max_rel_needs_to_beat_best_times_one_plus_threshold()
    {
        // 1.05 is not above 1.0·1.1: bad, patience 0 → reduce; 1.2 > 1.1 improves.
        var s = new ReduceLrOnPlateau(
            1.0,
            new()
            {
                Mode = MetricMode.Max,
                Patience = 0,
                Threshold = 0.1,
            }
        );
        Assert.Equal([1.0, 0.1, 0.1], Trace(s, 1.0, 1.05, 1.2));
        Assert.Equal(1.2, s.Best);
    }

    [Fact]
    public void Max_abs_needs_to_beat_best_plus_threshold()
    {
        var s = new ReduceLrOnPlateau(
            1.0,
            new()
            {
                Mode = MetricMode.Max,
                Patience = 0,
                Threshold = 0.1,
                ThresholdMode = ThresholdMode.Abs,
            }
        );
        Assert.Equal([1.0, 0.1, 0.1], Trace(s, 1.0, 1.05, 1.11));
        Assert.Equal(1.11, s.Best);
    }

    [Fact]
    public void Cooldown_ignores_bad_evaluations_after_a_reduction()
    {
        // Reductions at evaluations 2 and 5: evaluations 3 and 4 are in the 2-evaluation cooldown.
        var s = new ReduceLrOnPlateau(
            1.0,
            new()
            {
                Patience = 0,
                Cooldown = 2,
                Threshold = 0,
                ThresholdMode = ThresholdMode.Abs,
            }
        );
        var lrs = Trace(s, 1, 1, 1, 1, 1);
        Assert.Equal(1.0, lrs[0]);
        Assert.Equal(0.1, lrs[1], 15);
        Assert.Equal(0.1, lrs[2], 15);
        Assert.Equal(0.1, lrs[3], 15);
        Assert.Equal(0.01, lrs[4], 15);
    }

    [Fact]
    public void Min_lr_floors_the_rate_and_eps_skips_tiny_reductions()
    {
        var floored = new ReduceLrOnPlateau(1e-3, new() { Patience = 0, MinLr = 5e-4 });
        Trace(floored, 1, 1, 1);
        Assert.Equal(5e-4, floored.LearningRate);
        Assert.Equal(1, floored.Reductions);

        var tiny = new ReduceLrOnPlateau(1e-8, new() { Patience = 0 });
        Trace(tiny, 1, 1);
        Assert.Equal(1e-8, tiny.LearningRate);
    }

    [Fact]
    public void Negative_best_in_min_rel_mode_keeps_pytorch_arithmetic()
    {
        // best·(1 − 0.1) = −0.9, and −0.95 < −0.9 counts as better although it is higher.
        var s = new ReduceLrOnPlateau(1.0, new() { Patience = 0, Threshold = 0.1 });
        Assert.Equal([1.0, 1.0], Trace(s, -1.0, -0.95));
        Assert.Equal(-0.95, s.Best);
    }

    [Fact]
    public void Nan_is_a_bad_evaluation()
    {
        var s = new ReduceLrOnPlateau(1.0, new() { Patience = 0 });
        Assert.Equal([1.0, 0.1], Trace(s, 1.0, double.NaN));
    }

    [Fact]
    public void Factor_of_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLrOnPlateau(1.0, new() { Factor = 1.0 }));
    }
}
