using System.Text.Json;
using Microsoft.Playwright;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

[Collection(DashboardCollection.Name)]
public sealed class PageTests(DashboardFixture fx) : BrowserTest(fx)
{
    private static JsonElement Config(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public async Task Compare_page_overlays_two_runs_with_the_differing_config_in_the_legend()
    {
        var admin = Fx.Admin;
        var a = await admin.CreateRunAsync("cmp", new CreateRunRequest(Name: "cmp-a", Config: Config("""{"lr":0.1,"optimizer":"sgd"}""")));
        var b = await admin.CreateRunAsync("cmp", new CreateRunRequest(Name: "cmp-b", Config: Config("""{"lr":0.01,"optimizer":"sgd"}""")));
        await admin.LogMetricsAsync(a.Id, new LogMetricsRequest(0, [.. Enumerable.Range(0, 20).Select(i => new MetricPointInput("loss", i, 1.0 / (i + 1)))]));
        await admin.LogMetricsAsync(b.Id, new LogMetricsRequest(0, [.. Enumerable.Range(0, 30).Select(i => new MetricPointInput("loss", i, 2.0 / (i + 1)))]));

        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync("projects/cmp");
        await page.CheckAsync($"tr[data-run='{a.Id}'] input.select-run");
        await page.CheckAsync($"tr[data-run='{b.Id}'] input.select-run");
        await page.ClickAsync("#compare");
        await page.WaitForURLAsync("**/compare?runs=*");
        Assert.Equal(20, await DashboardFixture.WaitForChartPointsAsync(page, "compare-loss", 20, trace: 0));
        Assert.Equal(30, await DashboardFixture.WaitForChartPointsAsync(page, "compare-loss", 30, trace: 1));
        var headers = await page.Locator("#compare-legend thead th").AllTextContentsAsync();
        Assert.Contains("lr", headers);
        Assert.DoesNotContain("optimizer", headers);
        var names = await page.EvaluateAsync<string[]>("() => document.getElementById('compare-loss').data.map(t => t.name)");
        Assert.Contains(names, n => n.StartsWith("cmp-a (lr=0.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_long_runs_table_renders_the_rows_in_view_and_the_rest_as_the_reader_scrolls()
    {
        var admin = Fx.Admin;
        var ids = new string[200];
        using (var gate = new SemaphoreSlim(8))
        {
            await Task.WhenAll(
                Enumerable
                    .Range(0, ids.Length)
                    .Select(async i =>
                    {
                        await gate.WaitAsync();
                        try
                        {
                            ids[i] = (await admin.CreateRunAsync("long", new CreateRunRequest(Name: $"run-{i:D3}"))).Id;
                        }
                        finally
                        {
                            gate.Release();
                        }
                    })
            );
        }

        var page = await Fx.SignedInPageAsync(height: 800);
        await page.GotoAsync("projects/long?sort=name&desc=false");
        await page.WaitForFunctionAsync("() => document.getElementById('runs-count')?.textContent.trim() === '200 of 200 runs'");
        await page.WaitForSelectorAsync($"tr[data-run='{ids[0]}']");
        // The viewport (800 px) holds ~15 rows of ~44 px; the table renders those and a few more, not all 200.
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#runs tbody tr[data-run]').length >= 15");
        Assert.InRange(await page.Locator("#runs tbody tr[data-run]").CountAsync(), 15, 100);
        await page.CheckAsync($"tr[data-run='{ids[0]}'] input.select-run");

        await page.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
        await page.WaitForSelectorAsync($"tr[data-run='{ids[^1]}']");
        Assert.Equal("run-199", (await page.Locator("#runs tbody tr[data-run] a.run-name").Last.TextContentAsync())?.Trim());
        Assert.Equal(0, await page.Locator($"tr[data-run='{ids[0]}']").CountAsync());

        // The selection belongs to the table, not to the rendered rows.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.WaitForSelectorAsync($"tr[data-run='{ids[0]}']");
        Assert.True(await page.IsCheckedAsync($"tr[data-run='{ids[0]}'] input.select-run"));
        Assert.Equal("Compare 1 selected", (await page.Locator("#compare").TextContentAsync())?.Trim());
    }

    [Fact]
    public async Task Launching_an_experiment_from_the_form_opens_a_new_running_run()
    {
        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync("projects/launch/experiments/new");
        await page.SelectOptionAsync("#solver", "gd");
        await page.SelectOptionAsync("#problem", "quadratic");
        await page.FillAsync("#param-lr", "0.05");
        await page.FillAsync("#steps", "1000000");
        await page.ClickAsync("#launch-submit");
        await page.WaitForURLAsync("**/runs/*");
        var runId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        try
        {
            await page.WaitForSelectorAsync("#run-name");
            await page.WaitForSelectorAsync(".badge.state-running");
            Assert.True(await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 1) >= 1);
        }
        finally
        {
            await Fx.Admin.CancelExperimentAsync(runId);
        }
    }

    [Fact]
    public async Task A_run_named_like_markup_renders_as_text()
    {
        const string name = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";
        var run = await Fx.Admin.CreateRunAsync("xss", new CreateRunRequest(Name: name, Tags: ["<b>bold</b>"]));
        await Fx.Admin.LogMetricsAsync(run.Id, new LogMetricsRequest(0, [new MetricPointInput("loss", 0, 1)]));

        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync("projects/xss");
        var link = page.Locator($"tr[data-run='{run.Id}'] a.run-name");
        Assert.Equal(name, await link.TextContentAsync());
        await link.ClickAsync();
        await page.WaitForSelectorAsync("#run-name");
        Assert.Equal(name, await page.Locator("#run-name").TextContentAsync());
        await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 1);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
        Assert.Equal(0, await page.Locator("#run-name img, #run-name script").CountAsync());
    }

    [Fact]
    public async Task A_read_only_key_sees_no_launch_edit_or_delete_controls()
    {
        var run = await Fx.Admin.CreateRunAsync("readonly", new CreateRunRequest(Name: "ro-run"));
        var key = (await Fx.Admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read, Name: "viewer"))).Key;

        var page = await Fx.SignedInPageAsync(key);
        await page.GotoAsync("projects/readonly");
        await page.WaitForSelectorAsync($"tr[data-run='{run.Id}']");
        Assert.Equal(0, await page.Locator("#launch").CountAsync());

        await page.GotoAsync($"runs/{run.Id}");
        await page.WaitForSelectorAsync("#run-name");
        await page.WaitForSelectorAsync("#export-csv");
        Assert.Equal(0, await page.Locator("#delete-run, #edit-run, #stop-run").CountAsync());

        await page.GotoAsync("projects/readonly/experiments/new");
        await page.WaitForSelectorAsync("#read-only");
        Assert.Equal(0, await page.Locator("#launch-submit").CountAsync());
    }

    [Fact]
    public async Task A_write_key_edits_tags_and_notes_in_the_header()
    {
        var run = await Fx.Admin.CreateRunAsync("edit", new CreateRunRequest(Name: "to-edit"));
        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"runs/{run.Id}");
        await page.ClickAsync("#edit-run");
        await page.FillAsync("#edit-tags", "baseline, keep");
        await page.FillAsync("#edit-notes", "best so far");
        await page.ClickAsync("#save-run");
        await page.WaitForSelectorAsync("text=best so far");
        var saved = await Fx.Admin.GetRunAsync(run.Id);
        Assert.Equal(["baseline", "keep"], saved.Tags.Order());
        Assert.Equal("best so far", saved.Notes);
    }
}
