using System.Text;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

/// <summary>The run page lists the run's artifacts with sizes and download links, badges the best checkpoint, and marks
/// the kept checkpoints on the monitored metric's chart.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ArtifactsPageTests(DashboardFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task The_run_page_lists_artifacts_downloads_them_and_marks_checkpoints_on_the_monitored_chart()
    {
        var run = await Fx.Admin.CreateRunAsync("artifacts-page", new CreateRunRequest(Name: "with-checkpoints"));
        // val_loss (the advisor's default monitor, lower is better) is best at step 30.
        await Fx.Admin.LogMetricsAsync(
            run.Id,
            new LogMetricsRequest(
                1,
                [
                    .. Enumerable.Range(0, 50).Select(s => new MetricPointInput("loss", s, 2.0 / (1 + 0.1 * s))),
                    .. Enumerable.Range(0, 50).Select(s => new MetricPointInput("val_loss", s, 0.5 + Math.Abs(s - 30) * 0.01)),
                ]
            )
        );
        foreach (var step in new[] { 10L, 30, 45 })
        {
            using var weights = new MemoryStream(new byte[1000 * (int)step]);
            await Fx.Admin.PutArtifactAsync(run.Id, $"checkpoints/step-{step}.bin", weights, step, "checkpoint");
        }
        using var notes = new MemoryStream(Encoding.UTF8.GetBytes("learning rate halved at step 20\n"));
        await Fx.Admin.PutArtifactAsync(run.Id, "notes.txt", notes);
        Assert.Equal("checkpoints/step-30.bin", (await Fx.Admin.GetBestCheckpointAsync(run.Id))!.Path);

        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"runs/{run.Id}");
        await page.WaitForSelectorAsync("#artifact-table tr[data-path='notes.txt']");
        Assert.Equal(4, await page.Locator("#artifact-table tbody tr").CountAsync());
        var best = page.Locator("#artifact-table tr.best");
        Assert.Equal("checkpoints/step-30.bin", await best.GetAttributeAsync("data-path"));
        Assert.Contains("best", await best.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("29.3 KiB", await best.InnerTextAsync(), StringComparison.Ordinal); // 30,000 bytes
        Assert.Contains("0.5", await best.InnerTextAsync(), StringComparison.Ordinal); // val_loss at step 30

        // The link downloads the bytes with the page's session (no key in the page).
        var href = await page.Locator("#artifact-table tr[data-path='notes.txt'] a").GetAttributeAsync("href");
        var text = await page.EvaluateAsync<string>("async url => (await fetch(url)).text()", href);
        Assert.Equal("learning rate halved at step 20\n", text);

        // The three kept checkpoints are ticks on the loss chart (where val_loss is drawn), beside the best-step line.
        await page.WaitForFunctionAsync(
            "() => { const el = document.getElementById('chart-loss'); return !!(el && el.layout && el.layout.shapes && el.layout.shapes.filter(s => s.name === 'checkpoint').length === 3); }"
        );
        var ticks = await page.EvaluateAsync<double[]>(
            "() => document.getElementById('chart-loss').layout.shapes.filter(s => s.name === 'checkpoint').map(s => s.x0)"
        );
        Assert.Equal([10.0, 30, 45], ticks);
    }

    [Fact]
    public async Task A_run_without_artifacts_says_how_to_save_one()
    {
        var run = await Fx.Admin.CreateRunAsync("artifacts-page", new CreateRunRequest(Name: "bare"));
        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"runs/{run.Id}");
        await page.WaitForSelectorAsync("#no-artifacts");
        Assert.Contains("SaveCheckpointAsync", await page.Locator("#no-artifacts").InnerTextAsync(), StringComparison.Ordinal);
    }
}
