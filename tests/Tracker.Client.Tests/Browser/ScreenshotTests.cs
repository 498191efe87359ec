using Microsoft.Playwright;

namespace Tracker.Client.Tests.Browser;

/// <summary>Takes screenshots of the main pages over a demo sweep (the README's with TRACKER_UPDATE_SCREENSHOTS=1).</summary>
[Collection(DashboardCollection.Name)]
public sealed class ScreenshotTests(DashboardFixture fx)
{
    [Fact]
    public async Task Main_pages_render_and_are_captured()
    {
        var runs = await DemoData.CreateSweepAsync(fx.Admin, "demo-sweep");
        var page = await fx.SignedInPageAsync(width: 1400, height: 900);

        await page.GotoAsync("");
        await page.WaitForSelectorAsync("#projects a[href='projects/demo-sweep']");
        await DashboardFixture.ScreenshotAsync(page, "projects");

        await page.GotoAsync("projects/demo-sweep?cols=val_loss:min,acc:max&sort=val_loss:min&desc=false");
        await page.WaitForSelectorAsync($"tr[data-run='{runs[0].Id}']");
        Assert.Equal(runs.Count, await page.Locator("#runs tbody tr[data-run]").CountAsync());
        // The pattern column fills in after the table (one analysis request per run): capture it filled.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#runs tbody td.pattern')].every(td => td.textContent.trim().length > 0)");
        await DashboardFixture.ScreenshotAsync(page, "runs");

        await page.GotoAsync($"runs/{runs[1].Id}");
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 300);
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 30, trace: 1);
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-grad-norms", 300);
        await page.WaitForFunctionAsync("() => { const h = document.getElementById('grad-heatmap'); return h && h.data && h.data.length === 1; }");
        await AssertHeatmapHoldsTheNormsAsync(page, runs[1].Id);
        // The analysis and the events load after the first drawings; the advised best step then marks the loss chart.
        await page.WaitForSelectorAsync("#verdict-headline");
        await page.WaitForFunctionAsync(
            "() => { const el = document.getElementById('chart-loss'); return !!(el && el.layout && el.layout.shapes && el.layout.shapes.length === 1); }"
        );
        await DashboardFixture.ScreenshotAsync(page, "run");

        await page.GotoAsync($"compare?runs={string.Join(',', runs.Select(r => r.Id))}");
        foreach (var i in Enumerable.Range(0, runs.Count))
            await DashboardFixture.WaitForChartPointsAsync(page, "compare-loss", 300, trace: i);
        await DashboardFixture.ScreenshotAsync(page, "compare");
    }

    /// <summary>Each heatmap cell is log₁₀ of its layer's norm at the column's step (the demo logs every layer at every step).</summary>
    private async Task AssertHeatmapHoldsTheNormsAsync(IPage page, string runId)
    {
        var json = await page.EvaluateAsync<string>(
            "() => { const d = document.getElementById('grad-heatmap').data[0]; return JSON.stringify({ x: Array.from(d.x), y: Array.from(d.y), z: d.z.map(r => Array.from(r)) }); }"
        );
        using var heat = System.Text.Json.JsonDocument.Parse(json);
        var x = heat.RootElement.GetProperty("x").EnumerateArray().Select(e => (long)e.GetDouble()).ToList();
        Assert.Equal(["layer1", "layer2", "layer3", "layer4"], heat.RootElement.GetProperty("y").EnumerateArray().Select(e => e.GetString()));
        Assert.InRange(x.Count, 100, 200); // 300 steps, sampled to at most 200 columns
        var rows = heat.RootElement.GetProperty("z").EnumerateArray().ToList();
        for (var layer = 1; layer <= 4; layer++)
        {
            var norms = new Dictionary<long, double>();
            await foreach (var p in fx.Admin.ReadAllAsync(runId, $"grad_norm/layer{layer}"))
                norms[p.Step] = p.Value;
            var cells = rows[layer - 1].EnumerateArray().Select(e => e.GetDouble()).ToList();
            Assert.Equal(x.Count, cells.Count);
            for (var c = 0; c < x.Count; c++)
                Assert.Equal(Math.Log10(norms[x[c]]), cells[c], 1e-12);
        }
    }
}
