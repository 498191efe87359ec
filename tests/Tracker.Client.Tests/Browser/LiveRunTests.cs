using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

[Collection(DashboardCollection.Name)]
public sealed class LiveRunTests(DashboardFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task Logged_run_appears_and_its_chart_grows_point_by_point_without_reload()
    {
        var admin = Fx.Admin;
        var run = await admin.CreateRunAsync(
            "live",
            new CreateRunRequest(Name: "live-run", Config: System.Text.Json.JsonDocument.Parse("""{"lr":0.01}""").RootElement)
        );
        await admin.LogMetricsAsync(run.Id, new LogMetricsRequest(0, [.. Enumerable.Range(0, 5).Select(i => new MetricPointInput("loss", i, 2.0 / (i + 1)))]));

        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync("projects/live");
        await page.WaitForSelectorAsync($"tr[data-run='{run.Id}']");
        await page.ClickAsync($"tr[data-run='{run.Id}'] a.run-name");
        await page.WaitForURLAsync($"**/runs/{run.Id}");
        try
        {
            Assert.Equal(5, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 5));
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new() { Path = "/tmp/dash-fail.png", FullPage = true });
            await File.WriteAllTextAsync("/tmp/dash-fail.html", await page.ContentAsync());
            throw;
        }
        await page.EvaluateAsync("() => window.__noReload = true");

        for (var step = 5; step < 15; step++)
        {
            await admin.LogMetricsAsync(run.Id, new LogMetricsRequest(step, [new MetricPointInput("loss", step, 2.0 / (step + 1))]));
            DashboardFixture.Log($"logged step {step}");
            try
            {
                Assert.Equal(step + 1, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", step + 1));
            }
            catch (TimeoutException)
            {
                DashboardFixture.Log($"timeout at step {step}: chart has {await DashboardFixture.ChartPointsAsync(page, "chart-loss")}");
                throw;
            }
        }
        Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"));
        Assert.Equal(1, await page.Locator("#run-name").CountAsync());
    }

    [Fact]
    public async Task Points_logged_between_the_history_read_and_the_subscription_are_caught_up()
    {
        var admin = Fx.Admin;
        var run = await admin.CreateRunAsync("live", new CreateRunRequest(Name: "gap-run"));
        await admin.LogMetricsAsync(
            run.Id,
            new LogMetricsRequest(0, [.. Enumerable.Range(0, 100).Select(i => new MetricPointInput("loss", i, 2.0 / (i + 1)))])
        );

        // The hub's negotiation waits until the test has logged more points: the page has read its history by then, and
        // no push can bring those points. Only the catch-up read after the subscription can.
        var page = await Fx.SignedInPageAsync();
        var release = await DashboardFixture.HoldHubNegotiationAsync(page);
        await page.GotoAsync($"runs/{run.Id}");
        Assert.Equal(100, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 100));

        await admin.LogMetricsAsync(
            run.Id,
            new LogMetricsRequest(
                1,
                [
                    .. Enumerable.Range(100, 50).Select(i => new MetricPointInput("loss", i, 2.0 / (i + 1))),
                    new MetricPointInput("acc", 149, 0.9), // a series first logged in the gap gets its chart
                ]
            )
        );
        Assert.Equal(100, await DashboardFixture.ChartPointsAsync(page, "chart-loss"));
        release.SetResult();

        Assert.Equal(150, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 150));
        Assert.Equal(1, await DashboardFixture.WaitForChartPointsAsync(page, "chart-acc", 1));

        // Then live pushes continue after the caught-up points, each step once.
        await admin.LogMetricsAsync(
            run.Id,
            new LogMetricsRequest(2, [.. Enumerable.Range(150, 10).Select(i => new MetricPointInput("loss", i, 2.0 / (i + 1)))])
        );
        Assert.Equal(160, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 160));
        var steps = await page.EvaluateAsync<double[]>("() => Array.from(document.getElementById('chart-loss').data[0].x)");
        Assert.Equal(Enumerable.Range(0, 160).Select(i => (double)i), steps);
    }

    [Fact]
    public async Task The_runs_table_catches_up_with_changes_made_before_its_live_subscription()
    {
        var admin = Fx.Admin;
        var first = await admin.CreateRunAsync("table-gap", new CreateRunRequest(Name: "first"));

        // The table is shown before the page subscribes; the hub's negotiation waits until the test has changed the
        // project, so only the catch-up read (runs updated since the list was read) can bring these changes.
        var page = await Fx.SignedInPageAsync();
        var release = await DashboardFixture.HoldHubNegotiationAsync(page);
        await page.GotoAsync("projects/table-gap");
        await page.WaitForSelectorAsync($"tr[data-run='{first.Id}'] span.state-running");

        var second = await admin.CreateRunAsync("table-gap", new CreateRunRequest(Name: "second"));
        await admin.UpdateRunAsync(first.Id, new UpdateRunRequest(State: RunState.Finished));
        Assert.Equal(0, await page.Locator($"tr[data-run='{second.Id}']").CountAsync());
        release.SetResult();

        await page.WaitForSelectorAsync($"tr[data-run='{second.Id}']");
        await page.WaitForSelectorAsync($"tr[data-run='{first.Id}'] span.state-finished");

        // Then live: a run created now appears without a reload.
        var third = await admin.CreateRunAsync("table-gap", new CreateRunRequest(Name: "third"));
        await page.WaitForSelectorAsync($"tr[data-run='{third.Id}']");
        Assert.Equal("3 of 3 runs", (await page.Locator("#runs-count").TextContentAsync())?.Trim());
    }
}
