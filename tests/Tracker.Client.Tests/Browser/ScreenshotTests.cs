using Microsoft.Playwright;

namespace Tracker.Client.Tests.Browser;

/// <summary>Takes screenshots of the main pages over a demo sweep, in the light and the dark theme (the README's with
/// TRACKER_UPDATE_SCREENSHOTS=1; the dark ones end in <c>-dark</c>).</summary>
[Collection(DashboardCollection.Name)]
public sealed class ScreenshotTests(DashboardFixture fx) : BrowserTest(fx)
{
    [Theory]
    [InlineData(ColorScheme.Light, "")]
    [InlineData(ColorScheme.Dark, "-dark")]
    public async Task Main_pages_render_and_are_captured(ColorScheme scheme, string suffix)
    {
        var project = "demo-sweep" + suffix;
        var runs = await DemoData.CreateSweepAsync(Fx.Admin, project);
        var page = await Fx.SignedInPageAsync(width: 1400, height: 900, colorScheme: scheme);

        await page.GotoAsync("");
        await page.WaitForSelectorAsync($"#projects a[href='projects/{project}']");
        await DashboardFixture.ScreenshotAsync(page, "projects" + suffix);

        await page.GotoAsync($"projects/{project}?cols=val_loss:min,acc:max&sort=val_loss:min&desc=false");
        await page.WaitForSelectorAsync($"tr[data-run='{runs[0].Id}']");
        Assert.Equal(runs.Count, await page.Locator("#runs tbody tr[data-run]").CountAsync());
        // The pattern column fills in after the table (one analysis request per run): capture it filled.
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#runs tbody td.pattern')].every(td => td.textContent.trim().length > 0)");
        await DashboardFixture.ScreenshotAsync(page, "runs" + suffix);

        await page.GotoAsync($"runs/{runs[1].Id}");
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 300);
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 30, trace: 1);
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-grad-norms", 300);
        await page.WaitForFunctionAsync("() => { const h = document.getElementById('grad-heatmap'); return h && h.data && h.data.length === 1; }");
        await AssertHeatmapHoldsTheNormsAsync(page, runs[1].Id);
        // The analysis and the events load after the first drawings; the advised best step then marks the loss chart.
        await page.WaitForSelectorAsync("#verdict-headline");
        await page.WaitForFunctionAsync(
            "() => { const el = document.getElementById('chart-loss'); return !!(el && el.layout && el.layout.shapes && el.layout.shapes.some(s => s.name === 'best step')); }"
        );
        await DashboardFixture.ScreenshotAsync(page, "run" + suffix);

        await page.GotoAsync($"compare?runs={string.Join(',', runs.Select(r => r.Id))}");
        foreach (var i in Enumerable.Range(0, runs.Count))
            await DashboardFixture.WaitForChartPointsAsync(page, "compare-loss", 300, trace: i);
        await DashboardFixture.ScreenshotAsync(page, "compare" + suffix);

        await page.GotoAsync($"projects/{project}/experiments/new");
        await page.SelectOptionAsync("#solver", "gd");
        await page.SelectOptionAsync("#problem", "quadratic");
        foreach (var lr in new[] { "0.01", "0.03", "0.1" })
        {
            await page.FillAsync("#param-lr", lr);
            await page.ClickAsync("#param-lr-add");
        }
        Assert.Equal(3, await page.Locator("#param-lr-sweep li").CountAsync());
        await DashboardFixture.ScreenshotAsync(page, "launch" + suffix);
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
            await foreach (var p in Fx.Admin.ReadAllAsync(runId, $"grad_norm/layer{layer}"))
                norms[p.Step] = p.Value;
            var cells = rows[layer - 1].EnumerateArray().Select(e => e.GetDouble()).ToList();
            Assert.Equal(x.Count, cells.Count);
            for (var c = 0; c < x.Count; c++)
                Assert.Equal(Math.Log10(norms[x[c]]), cells[c], 1e-12);
        }
    }
}
