using System.Globalization;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

/// <summary>Zooming a chart asks the server for the visible range at full resolution, by step or by wall time.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ChartZoomTests(DashboardFixture fx) : BrowserTest(fx)
{
    private const int Points = 20_000;
    private const long StartMs = 1_700_000_000_000;

    private async Task<string> LongRunAsync()
    {
        var run = await Fx.Admin.CreateRunAsync("zoom", new CreateRunRequest(Name: "long-run"));
        for (var start = 0; start < Points; start += 5_000)
        {
            var batch = Enumerable.Range(start, 5_000).Select(s => new MetricPointInput("loss", s, Math.Exp(-s / 5000.0), StartMs + (s * 1000L))).ToList();
            await Fx.Admin.LogMetricsAsync(run.Id, new LogMetricsRequest(start, batch));
        }
        return run.Id;
    }

    private static Task<int> PointsWithinAsync(Microsoft.Playwright.IPage page, double x0, double x1) =>
        page.EvaluateAsync<int>("([a, b]) => document.getElementById('chart-loss').data[0].x.filter(x => x >= a && x <= b).length", new object[] { x0, x1 });

    private static Task WaitForPointsWithinAsync(Microsoft.Playwright.IPage page, double x0, double x1, int n) =>
        page.WaitForFunctionAsync(
            "([a, b, n]) => { const el = document.getElementById('chart-loss'); return el && el.data && el.data[0].x.filter(x => x >= a && x <= b).length >= n; }",
            new object[] { x0, x1, n },
            new() { Timeout = 30_000, PollingInterval = 20 }
        );

    [Fact]
    public async Task Zooming_by_step_refetches_the_range_at_full_resolution()
    {
        var runId = await LongRunAsync();
        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"runs/{runId}");
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 100);
        Assert.True(await PointsWithinAsync(page, 10_000, 10_100) < 50, "the whole-run view is already at full resolution");

        await page.EvaluateAsync("() => Plotly.relayout('chart-loss', { 'xaxis.range': [10000, 10100] })");
        await WaitForPointsWithinAsync(page, 10_000, 10_100, 101);
    }

    [Fact]
    public async Task Zooming_by_wall_time_refetches_the_steps_logged_in_that_window()
    {
        var runId = await LongRunAsync();
        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"runs/{runId}");
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 100);
        await page.SelectOptionAsync("#x-axis", "time");
        await page.WaitForFunctionAsync(
            "() => { const el = document.getElementById('chart-loss'); return el && el.layout && el.layout.xaxis.type === 'date'; }"
        );

        // Steps 5,000–5,100 were logged one per second from StartMs + 5,000 s; the axis shows UTC date strings.
        double t0 = StartMs + 5_000_000,
            t1 = StartMs + 5_100_000;
        static string Utc(double ms) =>
            DateTimeOffset.FromUnixTimeMilliseconds((long)ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.True(await PointsWithinAsync(page, t0, t1) < 50, "the whole-run view is already at full resolution");
        await page.EvaluateAsync("([a, b]) => Plotly.relayout('chart-loss', { 'xaxis.range': [a, b] })", new object[] { Utc(t0), Utc(t1) });
        await WaitForPointsWithinAsync(page, t0, t1, 101);
    }
}
