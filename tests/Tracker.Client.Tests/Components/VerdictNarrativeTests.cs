using System.Text.Json;
using Tracker.Client.Components;
using Tracker.Client.Services;

namespace Tracker.Client.Tests.Components;

/// <summary>The plain-words verdict on snapshots shaped like the server's (numbers as the classifier reports them).</summary>
public sealed class VerdictNarrativeTests
{
    internal static RunAnalysis Snapshot(
        string pattern,
        string advice =
            """{"shouldStop": false, "reason": "val_loss is improving (last 0.5); best 0.5 at step 90", "bestStep": 90, "bestValue": 0.5, "monitor": "val_loss", "strategy": "patience"}""",
        string failures = "[]",
        string rate = """{"class": "unknown", "constants": {}, "confidence": 0}""",
        string gradients = """{"status": "unknown", "affectedLayers": [], "layers": [], "earlyToLateRatio": null}"""
    ) =>
        RunAnalysis.Parse(
            JsonDocument
                .Parse(
                    $$"""
                    {"pattern": {{pattern}}, "advice": {{advice}}, "criteria": [{"name": "loss_plateau", "met": false, "value": 0.01, "threshold": 0.001, "series": "loss"}],
                     "rate": {{rate}}, "gradients": {{gradients}}, "failures": {{failures}}, "points": 1200, "lastStep": 599, "updatedAt": "2026-11-30T10:00:00+00:00"}
                    """
                )
                .RootElement
        );

    [Fact]
    public void Healthy_convergence_says_how_far_the_loss_fell_and_where_validation_stands()
    {
        var words = new VerdictNarrative(
            Snapshot(
                """
                {"label": "healthy_convergence", "confidence": 0.93, "action": "training can be stopped",
                 "evidence": {"training_points": 600, "validation_points": 60, "train_initial": 5.3871, "train_current": 0.4812, "train_min": 0.4633,
                              "relative_drop": 0.91067, "recent_share": 0.0042, "recent_relative": 0.0043, "train_noise": 0.012, "oscillation": 0.0024,
                              "val_min": 0.5012, "val_min_step": 540, "val_current": 0.5031, "val_rise": 0.0019, "evaluations_since_val_min": 5,
                              "train_change_since_val_min": -0.002, "band": 0.03, "band_fall": 0.01, "band_ratio": 0.006, "band_level": 0.06,
                              "val_recent_share": 0.01, "val_recent_relative": 0.001}}
                """
            )
        );

        Assert.Equal("Healthy convergence", words.Headline);
        Assert.Equal(VerdictTone.Good, words.Tone);
        Assert.Equal("93 %", words.Confidence);
        Assert.Equal(
            "The training loss fell 91 % from 5.39 to 0.481 and has levelled off: only 0.42 % of that drop came in the last quarter of the run. "
                + "Validation loss is 0.503, 0.38 % above its best of 0.501 at step 540.",
            words.Summary
        );
        Assert.Equal(["Training can be stopped."], words.Actions);
        Assert.Equal("Continue", words.AdviceDecision);
        Assert.Equal("best val_loss 0.5 at step 90", words.AdviceBest);
    }

    [Fact]
    public void Overfitting_names_the_rise_the_minimum_step_and_how_long_ago_and_says_stop_and_restore()
    {
        var words = new VerdictNarrative(
            Snapshot(
                """
                {"label": "overfitting", "confidence": 0.81, "action": "regularize or stop early",
                 "evidence": {"training_points": 400, "validation_points": 40, "train_initial": 2.31, "train_current": 0.21, "train_min": 0.2, "relative_drop": 0.909,
                              "recent_share": 0.05, "recent_relative": 0.1, "train_noise": 0.01, "oscillation": 0.005,
                              "val_min": 0.4301, "val_min_step": 340, "val_current": 0.4817, "val_rise": 0.0516, "evaluations_since_val_min": 8, "train_change_since_val_min": -0.0613}}
                """,
                advice: """{"shouldStop": true, "reason": "val_loss did not improve for 5 evaluations; best 0.43 at step 340", "bestStep": 340, "bestValue": 0.4301, "monitor": "val_loss", "strategy": "patience"}"""
            )
        );

        Assert.Equal("Overfitting", words.Headline);
        Assert.Equal(VerdictTone.Attention, words.Tone);
        Assert.Equal(
            "Validation loss is 12 % above its minimum of 0.43 at step 340, reached 8 evaluations ago. "
                + "Meanwhile the training loss kept falling (by 0.0613): the model is memorizing the training data.",
            words.Summary
        );
        Assert.Equal(["Regularize or stop early.", "Stop training and restore the checkpoint from step 340 (best val_loss 0.43)."], words.Actions);
        Assert.Equal("Stop", words.AdviceDecision);
    }

    [Fact]
    public void Underfitting_says_the_loss_levelled_off_high()
    {
        var words = new VerdictNarrative(
            Snapshot(
                """
                {"label": "underfitting", "confidence": 0.7, "action": "more capacity or train longer",
                 "evidence": {"training_points": 500, "validation_points": 0, "train_initial": 2.3026, "train_current": 1.88, "train_min": 1.85,
                              "relative_drop": 0.1835, "recent_share": 0.01, "recent_relative": 0.001, "train_noise": 0.02, "oscillation": 0.1}}
                """
            )
        );

        Assert.Equal("Underfitting", words.Headline);
        Assert.Equal(
            "The training loss levelled off at 1.88, only 18 % below its start (2.3): the model does not fit even the training data well.",
            words.Summary
        );
        Assert.Equal(["More capacity or train longer."], words.Actions);
    }

    [Fact]
    public void Oscillating_gives_the_swing_around_a_flat_trend()
    {
        var words = new VerdictNarrative(
            Snapshot(
                """
                {"label": "oscillating", "confidence": 0.66, "action": "reduce the learning rate (or clip gradients)",
                 "evidence": {"training_points": 300, "validation_points": 0, "train_initial": 1.02, "train_current": 0.97, "train_min": 0.71, "relative_drop": 0.049,
                              "recent_share": 0, "recent_relative": 0, "train_noise": 0.09, "oscillation": 0.88, "band": 0.2, "band_fall": 0.004, "band_ratio": 1.9, "band_level": 0.2}}
                """
            )
        );

        Assert.Equal("Oscillating", words.Headline);
        Assert.Equal("The training loss swings by ±0.1 around a flat trend near 0.97: the steps overshoot instead of settling.", words.Summary);
        Assert.Equal(["Reduce the learning rate (or clip gradients)."], words.Actions);
    }

    [Fact]
    public void Slow_progress_quotes_the_small_drop()
    {
        var words = new VerdictNarrative(
            Snapshot(
                """
                {"label": "slow_progress", "confidence": 0.72, "action": "raise the learning rate or re-initialize",
                 "evidence": {"training_points": 800, "validation_points": 0, "train_initial": 2.302, "train_current": 2.19, "train_min": 2.18, "relative_drop": 0.0487,
                              "recent_share": 0.31, "recent_relative": 0.007, "train_noise": 0.003, "oscillation": 0.013}}
                """
            )
        );

        Assert.Equal("Slow progress", words.Headline);
        Assert.Equal("The training loss is falling steadily but slowly: only 4.9 % so far, from 2.3 to 2.19.", words.Summary);
    }

    [Fact]
    public void Diverging_names_the_step_and_value_or_says_NaN()
    {
        var grew = new VerdictNarrative(
            Snapshot(
                """
                {"label": "diverging", "confidence": 0.9, "action": "lower the learning rate, clip gradients, check initialization",
                 "evidence": {"training_points": 120, "validation_points": 0, "diverged_step": 117, "diverged_value": 48213.7, "non_finite": 0, "growth_limit": 23.02}}
                """
            )
        );
        Assert.Equal("Diverging", grew.Headline);
        Assert.Equal(VerdictTone.Problem, grew.Tone);
        Assert.Equal("The loss grew to 48214 at step 117, past the divergence limit of 23: training is blowing up.", grew.Summary);
        Assert.Equal(["Lower the learning rate, clip gradients, check initialization."], grew.Actions);

        var nan = new VerdictNarrative(
            Snapshot(
                """
                {"label": "diverging", "confidence": 1, "action": "lower the learning rate", "evidence": {"training_points": 40, "validation_points": 0, "diverged_step": 39, "non_finite": 1, "growth_limit": 23}}
                """
            )
        );
        Assert.Equal("The loss became NaN or infinite at step 39: training has broken down.", nan.Summary);
    }

    [Fact]
    public void Still_improving_and_not_enough_data_read_plainly()
    {
        var improving = new VerdictNarrative(
            Snapshot(
                """
                {"label": "still_improving", "confidence": 0.566123, "action": "keep training",
                 "evidence": {"training_points": 300, "validation_points": 30, "train_initial": 2.342629889425883, "train_current": 0.61, "relative_drop": 0.7396, "recent_share": 0.086, "recent_relative": 0.2, "val_min_step": 280}}
                """
            )
        );
        Assert.Equal("Still improving", improving.Headline);
        Assert.Equal(
            "The training loss fell 74 % from 2.34 to 0.61 and is still falling: 8.6 % of that drop came in the last quarter of the run.",
            improving.Summary
        );
        Assert.Equal("57 %", improving.Confidence);

        var early = new VerdictNarrative(
            Snapshot(
                """{"label": "insufficient_data", "confidence": 1, "action": "wait for more data", "evidence": {"training_points": 12, "validation_points": 1}}"""
            )
        );
        Assert.Equal("Not enough data yet", early.Headline);
        Assert.Equal(VerdictTone.Neutral, early.Tone);
        Assert.Equal("Only 13 loss points so far: too few to judge the learning curve.", early.Summary);
        Assert.Equal(["Wait for more data."], early.Actions);
    }

    [Fact]
    public void Missing_evidence_drops_its_clause_and_unknown_labels_and_keys_are_tolerated()
    {
        var bare = new VerdictNarrative(
            Snapshot("""{"label": "overfitting", "confidence": 0.6, "action": "regularize or stop early", "evidence": {"val_min": 0.43, "val_rise": 0.05}}""")
        );
        Assert.Equal(
            "Validation loss is 12 % above its minimum of 0.43. The training loss has not got worse meanwhile: the model is fitting the training data at the expense of new data.",
            bare.Summary
        );

        var none = new VerdictNarrative(Snapshot("""{"label": "healthy_convergence", "evidence": {}}""", advice: "null"));
        Assert.Equal("The loss has levelled off.", none.Summary);
        Assert.Empty(none.Actions);
        Assert.Null(none.AdviceDecision);
        Assert.Null(none.Confidence);

        var future = new VerdictNarrative(
            Snapshot(
                """
                {"label": "plateau_at_chance", "confidence": 0.8, "action": "check the labels", "evidence": {"chance_loss": 2.3026, "reference_loss": 0.1, "slow_rate": 0.99}}
                """,
                advice: """{"shouldStop": false, "reason": "warming up", "monitor": "val_loss", "strategy": "patience", "action": "keep training for now"}"""
            )
        );
        Assert.Equal("Plateau at chance", future.Headline);
        Assert.Null(future.Summary);
        Assert.Equal(["Check the labels.", "Keep training for now."], future.Actions);
        Assert.Null(future.AdviceBest);

        var nothing = new VerdictNarrative(null);
        Assert.Equal("No verdict yet", nothing.Headline);
        Assert.Empty(nothing.ActiveFailures);
    }

    [Fact]
    public void Rate_and_gradients_are_put_in_words()
    {
        var words = new VerdictNarrative(
            Snapshot(
                """{"label": "still_improving", "evidence": {}}""",
                rate: """{"class": "linear", "constants": {"f_star": 0.06869509059841672, "c": 0.6712, "A": 2.348676376910149}, "confidence": 0.9}""",
                gradients: """{"status": "vanishing", "affectedLayers": ["layer1", "layer2"], "layers": [{"name": "layer1", "depth": 0, "norm": 1e-9, "last": 1e-9, "status": "vanishing"}], "earlyToLateRatio": 1e-7}"""
            )
        );
        Assert.Equal("linear, the error shrinks ×0.671 per step towards 0.0687", words.Rate);
        Assert.Equal("vanishing in layer1, layer2: those layers barely learn", words.Gradients);

        var sub = new VerdictNarrative(
            Snapshot(
                """{"label": "still_improving", "evidence": {}}""",
                rate: """{"class": "sublinear", "constants": {"p": 0.853, "A": 2.1, "f_star": 0}, "confidence": 0.7}"""
            )
        );
        Assert.Equal("sublinear, the error falls like 1/step^0.853 towards 0", sub.Rate);
        Assert.Equal("not logged (log grad_norm/<layer> series to see it)", sub.Gradients);
    }

    [Fact]
    public void Only_active_failure_modes_are_explained_with_what_was_seen_and_the_fix()
    {
        var words = new VerdictNarrative(
            Snapshot(
                """{"label": "oscillating", "evidence": {}}""",
                failures: """
                [{"name": "saddle_point_stall", "active": true, "step": 410, "description": "gradient norm fell 2.3 orders of magnitude while the loss stayed flat at 1.2: a saddle point is likely; momentum, noise or a higher learning rate help escape", "evidence": {"gradient_collapse_orders": 2.3}},
                 {"name": "oscillation_constant_lr", "active": true, "step": 450, "description": "the loss stopped improving and fluctuates in a band of ±0.05 around 0.9 at a constant learning rate 0.1: decay the learning rate", "evidence": {"band": 0.05}},
                 {"name": "premature_convergence", "active": false, "step": 200, "description": "the learning rate decayed to 1e-06 (0.0001 of its peak 0.01) while the loss is flat at 1.5: use warm restarts or a cyclical schedule", "evidence": {}}]
                """
            )
        );

        Assert.Equal(["saddle_point_stall", "oscillation_constant_lr"], words.ActiveFailures.Select(f => f.Name));
        var saddle = words.ActiveFailures[0];
        Assert.Equal("Saddle-point stall", saddle.Title);
        Assert.Equal("Gradient norm fell 2.3 orders of magnitude while the loss stayed flat at 1.2: a saddle point is likely.", saddle.Seen);
        Assert.Equal("Momentum, noise or a higher learning rate help escape.", saddle.Fix);
        Assert.Equal(410, saddle.Step);
        var oscillation = words.ActiveFailures[1];
        Assert.Equal("Oscillation at a constant learning rate", oscillation.Title);
        Assert.Equal("Decay the learning rate.", oscillation.Fix);
        Assert.NotNull(oscillation.Meaning);
    }
}
