using Microsoft.Playwright;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

/// <summary>Charts stay readable: a diverged run is clipped with a marker instead of flattening the others, log y is
/// switched on when a series spans more than three decades (until the user sets it), and the legend sits above the plot.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ChartReadabilityTests(DashboardFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task A_diverged_run_is_clipped_with_a_marker_and_the_others_keep_their_scale()
    {
        const string project = "diverge";
        var calm = new List<RunDto>();
        for (var r = 0; r < 2; r++)
        {
            var run = await Fx.Admin.CreateRunAsync(project, new CreateRunRequest(Name: $"calm-{r}"));
            await Fx.Admin.LogMetricsAsync(
                run.Id,
                new LogMetricsRequest(0, [.. Enumerable.Range(0, 100).Select(s => new MetricPointInput("loss", s, 2.0 * Math.Exp(-s / (30.0 + 10 * r)) + 0.1))])
            );
            calm.Add(run);
        }
        // Falls like the others, then explodes past 1e6 and ends in NaN.
        var wild = await Fx.Admin.CreateRunAsync(project, new CreateRunRequest(Name: "wild"));
        await Fx.Admin.LogMetricsAsync(
            wild.Id,
            new LogMetricsRequest(
                0,
                [
                    .. Enumerable
                        .Range(0, 99)
                        .Select(s => new MetricPointInput("loss", s, s < 60 ? 2.0 * Math.Exp(-s / 25.0) + 0.1 : Math.Pow(10, (s - 60) / 6.0))),
                    new MetricPointInput("loss", 99, double.NaN),
                ]
            )
        );

        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"compare?runs={calm[0].Id},{calm[1].Id},{wild.Id}");
        await DashboardFixture.WaitForChartPointsAsync(page, "compare-loss", 99, trace: 2);
        var top = await page.EvaluateAsync<double>("() => document.getElementById('compare-loss').layout.yaxis.range[1]");
        Assert.InRange(top, 2.0, 3.0); // the calm runs' range (they start at 2.1), not the wild run's 1e6
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('compare-loss').layout.meta.clipped === true"));
        var markers = await page.EvaluateAsync<string[]>(
            "() => document.getElementById('compare-loss').data.filter(d => d.name === 'diverged').map(d => d.marker.symbol)"
        );
        Assert.Contains("triangle-up", markers); // where the wild run leaves the plot
        Assert.Contains("x", markers); // where it turned NaN
        // The legend is a row above the plot, not drawn over it.
        Assert.Equal("h", await page.EvaluateAsync<string>("() => document.getElementById('compare-loss').layout.legend.orientation"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('compare-loss').layout.legend.y >= 1"));
    }

    [Fact]
    public async Task Log_y_is_switched_on_when_a_series_spans_more_than_three_decades_until_the_user_sets_it()
    {
        var run = await Fx.Admin.CreateRunAsync("decades", new CreateRunRequest(Name: "spans-five-decades"));
        await Fx.Admin.LogMetricsAsync(
            run.Id,
            new LogMetricsRequest(
                0,
                [
                    .. Enumerable.Range(0, 200).Select(s => new MetricPointInput("loss", s, 1000 * Math.Exp(-s / 15.0) + 0.01)),
                    .. Enumerable.Range(0, 200).Select(s => new MetricPointInput("acc", s, 0.5 + s / 400.0)),
                ]
            )
        );
        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"runs/{run.Id}");
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 200);
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-acc", 200);
        // Five decades: log y by itself, its button shown on (active); the accuracy chart stays linear, with no button.
        Assert.Equal("log", await YAxisTypeAsync(page, "chart-loss"));
        Assert.Equal("log y", await page.EvaluateAsync<string>("() => document.getElementById('chart-loss').layout.updatemenus[0].buttons[0].label"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.getElementById('chart-loss').layout.updatemenus[0].active"));
        Assert.Equal("linear", await YAxisTypeAsync(page, "chart-acc"));
        Assert.False(await page.EvaluateAsync<bool>("() => !!document.getElementById('chart-acc').layout.updatemenus"));
        Assert.False(await page.Locator("#log-y").IsCheckedAsync());

        // The user turns the chart's own button off: it stays off when the chart is drawn anew (here, for smoothing).
        await page.Locator("#chart-loss .updatemenu-button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('chart-loss').layout.yaxis.type === 'linear'");
        await SetSmoothingAsync(page, "0.5");
        await page.WaitForFunctionAsync(
            "() => document.getElementById('chart-loss').layout.meta.logSuggested === true && document.getElementById('chart-loss').data[0].y[1] > 950"
        );
        Assert.Equal("linear", await YAxisTypeAsync(page, "chart-loss"));

        // On a fresh page, the page's control set on then off means linear everywhere: nothing switches by itself.
        page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"runs/{run.Id}");
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 200);
        await page.WaitForFunctionAsync("() => document.getElementById('chart-loss').layout.yaxis.type === 'log'");
        await page.Locator("#log-y").CheckAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('chart-acc').layout.yaxis.type === 'log'");
        await page.Locator("#log-y").UncheckAsync();
        await page.WaitForFunctionAsync("() => ['chart-loss', 'chart-acc'].every(id => document.getElementById(id).layout.yaxis.type === 'linear')");
        Assert.False(await page.EvaluateAsync<bool>("() => document.getElementById('chart-loss').layout.meta.logAuto"));
    }

    private static Task<string> YAxisTypeAsync(IPage page, string chartId) =>
        page.EvaluateAsync<string>("id => document.getElementById(id).layout.yaxis.type", chartId);

    private static Task SetSmoothingAsync(IPage page, string value) =>
        page.Locator("#smoothing").EvaluateAsync("(el, v) => { el.value = v; el.dispatchEvent(new Event('change', { bubbles: true })); }", value);
}
