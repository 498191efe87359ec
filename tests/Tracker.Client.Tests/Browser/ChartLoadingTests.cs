using System.Collections.Concurrent;
using System.Globalization;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

[Collection(DashboardCollection.Name)]
public sealed class ChartLoadingTests(DashboardFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task Charts_load_when_scrolled_near_and_ask_for_at_most_twice_their_width_in_points()
    {
        const int seriesCount = 16,
            points = 5_000;
        var admin = Fx.Admin;
        var run = await admin.CreateRunAsync("lazy-charts", new CreateRunRequest(Name: "many-series"));
        for (var start = 0; start < points; start += 500)
        {
            var batch = new List<MetricPointInput>(seriesCount * 500);
            for (var s = start; s < start + 500; s++)
            {
                for (var k = 0; k < seriesCount; k++)
                    batch.Add(new($"m{k:D2}", s, Math.Sin(s / 100.0 + k)));
            }
            await admin.LogMetricsAsync(run.Id, new LogMetricsRequest(start, batch));
        }

        var page = await Fx.SignedInPageAsync(width: 1200, height: 800);
        var asked = new ConcurrentBag<string>();
        page.Request += (_, r) =>
        {
            if (r.Url.Contains("/metrics/", StringComparison.Ordinal))
                asked.Add(r.Url);
        };
        await page.GotoAsync($"runs/{run.Id}");
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-m00", 1);
        var last = $"chart-m{seriesCount - 1:D2}";
        Assert.True(
            await page.EvaluateAsync<bool>("id => !document.getElementById(id).data", last),
            "a chart far below the viewport drew before it was scrolled to"
        );

        await page.Locator($"#{last}").ScrollIntoViewIfNeededAsync();
        var drawn = await DashboardFixture.WaitForChartPointsAsync(page, last, 1);
        var width = await page.EvaluateAsync<double>("id => document.getElementById(id).getBoundingClientRect().width", last);
        Assert.InRange(drawn, 2, 2 * width + 1);

        var maxPoints = asked.Select(u => System.Web.HttpUtility.ParseQueryString(new Uri(u).Query)["maxPoints"]).ToList();
        Assert.NotEmpty(maxPoints);
        Assert.All(maxPoints, m => Assert.InRange(int.Parse(m!, CultureInfo.InvariantCulture), 1, 2 * width + 1));
        Assert.True(asked.Count < 2 * seriesCount, $"{asked.Count} history requests for {seriesCount} series");
    }
}
