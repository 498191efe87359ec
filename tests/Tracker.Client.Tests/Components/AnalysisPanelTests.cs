using Bunit;
using Tracker.Client.Components;

namespace Tracker.Client.Tests.Components;

public sealed class AnalysisPanelTests : BunitContext
{
    private static Tracker.Client.Services.RunAnalysis Overfitting() =>
        VerdictNarrativeTests.Snapshot(
            """
            {"label": "overfitting", "confidence": 0.81, "action": "regularize or stop early",
             "evidence": {"training_points": 400, "validation_points": 40, "train_initial": 2.31, "train_current": 0.21, "relative_drop": 0.909,
                          "val_min": 0.4301, "val_min_step": 340, "val_current": 0.4817, "val_rise": 0.0516, "evaluations_since_val_min": 8,
                          "train_change_since_val_min": -0.0613, "chance_loss": 2.302585}}
            """,
            advice: """{"shouldStop": true, "reason": "val_loss did not improve for 5 evaluations; best 0.43 at step 340", "bestStep": 340, "bestValue": 0.4301, "monitor": "val_loss", "strategy": "patience"}""",
            failures: """
            [{"name": "oscillation_constant_lr", "active": true, "step": 450, "description": "the loss stopped improving and fluctuates in a band of ±0.05 around 0.9 at a constant learning rate 0.1: decay the learning rate", "evidence": {"band": 0.05}},
             {"name": "premature_convergence", "active": false, "step": 200, "description": "the learning rate decayed to 1e-06 while the loss is flat at 1.5: use warm restarts or a cyclical schedule", "evidence": {}}]
            """,
            rate: """{"class": "linear", "constants": {"f_star": 0.06869509059841672, "c": 0.9866795133190589, "A": 2.348676376910149}, "confidence": 0.9}"""
        );

    [Fact]
    public void Headline_summary_and_action_come_first_and_raw_evidence_waits_in_a_closed_disclosure()
    {
        var cut = Render<AnalysisPanel>(p => p.Add(x => x.Analysis, Overfitting()));

        // Document order: the headline, the sentence, the action, then the signals, then the raw evidence.
        var order = cut.FindAll("#verdict-headline, #verdict-summary, #verdict-actions, #advice, #rate, #failures, #analysis-raw")
            .Select(e => e.Id ?? "")
            .ToArray();
        Assert.Equal(["verdict-headline", "verdict-summary", "verdict-actions", "advice", "rate", "failures", "analysis-raw"], order);
        Assert.Equal("Overfitting", cut.Find("#verdict-headline").TextContent);
        Assert.Equal("H3", cut.Find("#verdict-headline").TagName);
        Assert.Contains("Needs attention", cut.Find("#verdict-tone").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Validation loss is 12 % above its minimum of 0.43 at step 340", cut.Find("#verdict-summary").TextContent, StringComparison.Ordinal);
        Assert.Equal(
            ["Regularize or stop early.", "Stop training and restore the checkpoint from step 340 (best val_loss 0.43)."],
            cut.FindAll("#verdict-actions li").Select(li => li.TextContent)
        );
        Assert.Contains("Stop", cut.Find("#advice strong").TextContent, StringComparison.Ordinal);
        Assert.Equal("linear, the error shrinks ×0.987 per step towards 0.0687 (confidence 90 %)", cut.Find("#rate").TextContent);

        var raw = cut.Find("details#analysis-raw");
        Assert.False(raw.HasAttribute("open"));
        var keys = cut.FindAll("#raw-evidence tbody th").Select(th => th.TextContent).ToArray();
        Assert.Contains("val_rise", keys);
        Assert.Contains("chance_loss", keys); // a key this client does not word still shows, raw
        Assert.Contains("2.30259", cut.FindAll("#raw-evidence tbody td").Select(td => td.TextContent));
        Assert.Single(cut.FindAll("#criteria tbody tr"));
        Assert.Contains("f_star = 0.0687", cut.Find("#raw-rate").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Active_failure_modes_are_listed_with_their_fix_and_inactive_ones_are_not()
    {
        var cut = Render<AnalysisPanel>(p => p.Add(x => x.Analysis, Overfitting()));

        var items = cut.FindAll("#failures li");
        var item = Assert.Single(items);
        Assert.Equal("oscillation_constant_lr", item.GetAttribute("data-failure"));
        Assert.Equal("Oscillation at a constant learning rate (since step 450)", item.QuerySelector("h4")!.TextContent);
        Assert.Equal("Fix: Decay the learning rate.", item.QuerySelector(".fix")!.TextContent);
        Assert.Equal("1 active", cut.Find("#failures-count").TextContent);
        Assert.Empty(cut.FindAll("#failures [data-failure='premature_convergence']"));
    }

    [Fact]
    public void Without_analysis_the_panel_says_so()
    {
        var cut = Render<AnalysisPanel>();
        Assert.Equal("No analysis yet.", cut.Find("#no-analysis").TextContent);
        Assert.Empty(cut.FindAll("details"));
    }
}
