using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

public sealed class VerdictDebouncerTests
{
    private const string Healthy = "healthy_convergence";
    private const string Improving = "still_improving";

    [Fact]
    public void Flapping_sequence_produces_one_change_not_eight()
    {
        // The digits sample's raw verdicts: healthy ⇄ still_improving eight times, then healthy for good.
        string[] raw =
        [
            Improving,
            Improving,
            Healthy,
            Improving,
            Healthy,
            Healthy,
            Improving,
            Healthy,
            Improving,
            Improving,
            Healthy,
            Improving,
            Healthy,
            Healthy,
            Healthy,
            Healthy,
        ];
        var debouncer = new VerdictDebouncer();
        int rawFlips = 0,
            changes = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var changed = debouncer.Update(raw[i], 1000 + (100 * i));
            if (i > 0 && raw[i] != raw[i - 1])
                rawFlips++;
            if (i > 0 && changed)
                changes++;
        }

        Assert.True(rawFlips >= 8);
        Assert.Equal(1, changes);
        Assert.Equal(Healthy, debouncer.Held);
        Assert.Null(debouncer.Pending);
    }

    [Fact]
    public void Diverging_takes_effect_at_once()
    {
        var debouncer = new VerdictDebouncer();
        debouncer.Update(Healthy, 100);
        Assert.True(debouncer.Update("diverging", 101));
        Assert.Equal("diverging", debouncer.Held);
    }

    [Fact]
    public void A_new_label_needs_three_evaluations_with_new_points_and_five_percent_more_steps()
    {
        var debouncer = new VerdictDebouncer();
        debouncer.Update(Improving, 900);
        Assert.False(debouncer.Update(Healthy, 1000));
        Assert.False(debouncer.Update(Healthy, 1010));
        // Same step again: no new points, no count.
        Assert.False(debouncer.Update(Healthy, 1010, newPoints: false));
        // Third evaluation, but only 2 % more steps than where healthy appeared (1000): still pending.
        Assert.False(debouncer.Update(Healthy, 1020));
        Assert.Equal(Healthy, debouncer.Pending);
        Assert.Equal(3, debouncer.PendingEvaluations);
        Assert.True(debouncer.Update(Healthy, 1050));
        Assert.Equal(Healthy, debouncer.Held);
    }

    [Fact]
    public void A_seeded_label_is_held_until_the_new_one_has_held()
    {
        var debouncer = new VerdictDebouncer();
        debouncer.Seed(Healthy);
        Assert.False(debouncer.Update(Improving, 2000));
        Assert.Equal(Healthy, debouncer.Held);
        Assert.Equal(Improving, debouncer.Pending);
    }

    [Fact]
    public void A_quiet_run_settles_on_the_raw_label_of_its_final_points()
    {
        var debouncer = new VerdictDebouncer();
        debouncer.Update(Improving, 100);
        // The run's last batches: the new label appears but the run stops before it has held for three evaluations.
        Assert.False(debouncer.Update("overfitting", 200));
        Assert.False(debouncer.Update("overfitting", 210));
        Assert.False(debouncer.Update("overfitting", 210, newPoints: false)); // re-evaluating the same points is no evidence
        Assert.Equal(Improving, debouncer.Held);

        Assert.True(debouncer.Settle("overfitting"));
        Assert.Equal("overfitting", debouncer.Held);
        Assert.Null(debouncer.Pending);
        Assert.False(debouncer.Settle("overfitting")); // settling again changes nothing
    }
}
