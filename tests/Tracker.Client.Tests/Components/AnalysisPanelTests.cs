using System.Text.Json;
using Bunit;
using Tracker.Client.Components;
using Tracker.Client.Services;

namespace Tracker.Client.Tests.Components;

public sealed class AnalysisPanelTests : BunitContext
{
    private static RunAnalysis Analysis() => RunAnalysis.Parse(JsonDocument.Parse("""
        {"pattern": {"label": "still_improving", "confidence": 0.566123, "evidence": {"train_initial": 2.342629889425883, "val_min_step": 280}, "action": "keep training"},
         "criteria": [],
         "rate": {"class": "linear", "constants": {"f_star": 0.06869509059841672, "c": 0.9866795133190589, "A": 2.348676376910149}, "confidence": 0.9}}
        """).RootElement);

    [Fact]
    public void Rate_constants_are_separated_and_numbers_compact()
    {
        var cut = Render<AnalysisPanel>(p => p.Add(x => x.Analysis, Analysis()));
        Assert.Equal("Convergence: linear (f_star = 0.0687, c = 0.9867, A = 2.3487)", cut.Find("#rate").TextContent);
        var evidence = cut.FindAll("ul.evidence li").Select(li => li.TextContent).ToArray();
        Assert.Equal(["train_initial: 2.3426", "val_min_step: 280"], evidence);
    }
}
