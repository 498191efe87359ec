using System.Net.Http.Json;
using System.Text.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

/// <summary>The run page's analysis panel as a person sees it, on a run that clearly overfits.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AnalysisPanelBrowserTests(DashboardFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task An_overfitting_run_shows_the_verdict_the_action_the_active_failure_and_the_best_and_stop_steps_on_its_chart_and_hides_the_raw_evidence_until_asked()
    {
        var run = await Fx.Admin.CreateRunAsync("panel", new CreateRunRequest(Name: "overfits"));
        // Training falls to a noisy floor at a constant learning rate (so oscillation_constant_lr becomes active);
        // validation bottoms out at step 200 and then climbs steadily (overfitting, patience stops on val_loss).
        var random = new Random(7);
        var points = new List<MetricPointInput>();
        for (var s = 0; s < 600; s++)
        {
            points.Add(new("loss", s, 2.3 * Math.Exp(-s / 40.0) + 0.3 + 0.1 * (random.NextDouble() - 0.5)));
            points.Add(new("lr", s, 0.1));
            if (s % 10 == 0)
                points.Add(new("val_loss", s, 2.3 * Math.Exp(-s / 40.0) + 0.4 + 0.002 * Math.Max(0, s - 200)));
        }
        await Fx.Admin.LogMetricsAsync(run.Id, new LogMetricsRequest(0, points));
        var analysis = await AnalysisAsync(run.Id);
        Assert.Equal("overfitting", analysis.GetProperty("pattern").GetProperty("label").GetString());
        Assert.True(analysis.GetProperty("advice").GetProperty("shouldStop").GetBoolean(), analysis.GetProperty("advice").ToString());
        var bestStep = analysis.GetProperty("advice").GetProperty("bestStep").GetInt64();

        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"runs/{run.Id}");
        await page.WaitForSelectorAsync("#verdict-headline");

        Assert.Equal("Overfitting", (await page.Locator("#verdict-headline").TextContentAsync())?.Trim());
        Assert.StartsWith("Validation loss is ", await page.Locator("#verdict-summary").TextContentAsync(), StringComparison.Ordinal);
        var actions = await page.Locator("#verdict-actions li").AllTextContentsAsync();
        Assert.Equal("Regularize or stop early.", actions[0].Trim());
        Assert.Contains(actions, a => a.Trim().StartsWith($"Stop training and restore the checkpoint from step {bestStep} ", StringComparison.Ordinal));
        // The headline and its action come before everything else in the panel.
        Assert.True(
            await page.EvaluateAsync<bool>(
                "() => { const h = document.getElementById('verdict-headline'), a = document.getElementById('verdict-actions'), r = document.getElementById('analysis-raw');"
                    + " return !!(h.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING) && !!(a.compareDocumentPosition(r) & Node.DOCUMENT_POSITION_FOLLOWING); }"
            )
        );

        // The monitored chart marks the best step and, apart from it, the step where stop was advised (to its right).
        var stopStep = analysis.GetProperty("advice").GetProperty("stopStep").GetInt64();
        Assert.True(stopStep > bestStep, $"stop advised at {stopStep}, best step {bestStep}");
        await page.WaitForFunctionAsync(
            "() => { const el = document.getElementById('chart-loss'); return !!(el && el.layout && el.layout.shapes && el.layout.shapes.some(s => s.name === 'stop advised')); }"
        );
        var lines = await page.EvaluateAsync<JsonElement>(
            "() => document.getElementById('chart-loss').layout.shapes.filter(s => s.name !== 'checkpoint').map(s => ({ name: s.name, x: s.x0 }))"
        );
        Assert.Equal(
            [("best step", bestStep), ("stop advised", stopStep)],
            lines.EnumerateArray().Select(l => (l.GetProperty("name").GetString(), l.GetProperty("x").GetInt64())).OrderBy(l => l.Item2)
        );
        var labels = await page.EvaluateAsync<string[]>("() => document.getElementById('chart-loss').layout.annotations.map(a => a.text)");
        Assert.Equal([$"best step {bestStep}", $"stop advised {stopStep}"], labels);
        Assert.Equal(2, await page.Locator("#chart-loss .annotation-text").CountAsync());

        var failure = page.Locator("#failures li[data-failure='oscillation_constant_lr']");
        Assert.Equal(1, await failure.CountAsync());
        Assert.Equal("Fix: Decay the learning rate.", (await failure.Locator(".fix").TextContentAsync())?.Trim());
        Assert.Equal(await page.Locator("#failures li").CountAsync(), Active(analysis));

        // The raw evidence is there but closed; opening the disclosure shows every key.
        Assert.False(await page.Locator("#analysis-raw").EvaluateAsync<bool>("d => d.open"));
        Assert.False(await page.Locator("#raw-evidence").IsVisibleAsync());
        Assert.False(await page.Locator("#criteria").IsVisibleAsync());
        await page.Locator("#analysis-raw > summary").ClickAsync();
        await page.Locator("#raw-evidence").WaitForAsync();
        Assert.True(await page.Locator("#raw-evidence").IsVisibleAsync());
        var keys = await page.Locator("#raw-evidence tbody th").AllTextContentsAsync();
        Assert.Contains("val_rise", keys);
        Assert.Equal(analysis.GetProperty("pattern").GetProperty("evidence").EnumerateObject().Count(), keys.Count);
    }

    private static int Active(JsonElement analysis) => analysis.GetProperty("failures").EnumerateArray().Count(f => f.GetProperty("active").GetBoolean());

    private async Task<JsonElement> AnalysisAsync(string runId)
    {
        using var http = Fx.Server.CreateHttpClient();
        return await http.GetFromJsonAsync<JsonElement>($"api/v1/runs/{runId}/analysis");
    }
}
