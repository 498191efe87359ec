using System.Globalization;
using Microsoft.Playwright;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Client.Tests.Browser;

/// <summary>The run page is prerendered by the server: its HTML holds the run's header, config, verdict and a drawing of
/// each chart before any script runs, and the interactive page starts from that data instead of reading it again.</summary>
[Collection(DashboardCollection.Name)]
public sealed class FirstPaintTests(DashboardFixture fx) : BrowserTest(fx)
{
    /// <summary>loss = 2 / (1 + 0.1 s) over steps 0..199; val_loss = 0.5 + |s − 150| / 100 every 10 steps (overfitting
    /// after step 150). Together they span [2/20.9, 2.0]: loss starts at the top left and ends at the bottom right.</summary>
    private async Task<RunDto> OverfittingRunAsync(string project)
    {
        var run = await Fx.Admin.CreateRunAsync(
            project,
            new CreateRunRequest(Name: "first-paint", Config: System.Text.Json.JsonDocument.Parse("""{"optimizer":"adam","lr":0.003}""").RootElement)
        );
        await Fx.Admin.LogMetricsAsync(
            run.Id,
            new LogMetricsRequest(
                1,
                [
                    .. Enumerable.Range(0, 200).Select(s => new MetricPointInput("loss", s, 2.0 / (1 + 0.1 * s))),
                    .. Enumerable.Range(0, 20).Select(i => new MetricPointInput("val_loss", i * 10, 0.5 + Math.Abs(i * 10 - 150) / 100.0)),
                ]
            )
        );
        return run;
    }

    private async Task<IBrowserContext> ScriptlessContextAsync() =>
        await Fx.Browser.NewContextAsync(new() { BaseURL = Fx.Server.BaseAddress.ToString(), JavaScriptEnabled = false });

    [Fact]
    public async Task The_run_pages_html_holds_its_header_config_verdict_and_charts_before_any_script_runs()
    {
        var run = await OverfittingRunAsync("first-paint");
        await using var context = await ScriptlessContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"login?key={Uri.EscapeDataString(TrackerServer.AdminKey)}");
        await page.WaitForSelectorAsync("#signed-in");

        await page.GotoAsync($"runs/{run.Id}");
        Assert.Equal("first-paint", await page.InnerTextAsync("#run-name"));
        var body = await page.InnerTextAsync("body");
        Assert.Contains("adam", body, StringComparison.Ordinal);
        Assert.Contains("0.003", body, StringComparison.Ordinal);
        // The analyzers saw the batch as it was stored: the verdict is in the HTML, not "no analysis".
        Assert.Equal(1, await page.Locator("#verdict-headline").CountAsync());
        Assert.Equal(0, await page.Locator("#no-analysis").CountAsync());

        // One chart (loss with val_loss overlaid), drawn by the server: 200 loss points (fewer than the sketch's budget, so
        // every point), from the top left (step 0, 2.0: the largest value) to the bottom right (step 199, the smallest).
        var chart = page.Locator("#charts .metric-chart");
        Assert.Equal(1, await chart.CountAsync());
        var lines = chart.Locator(".sketch polyline");
        Assert.Equal(2, await lines.CountAsync());
        var loss = (await lines.Nth(0).GetAttributeAsync("points"))!.Split(' ');
        Assert.Equal(200, loss.Length);
        Assert.Equal("0,0", loss[0]);
        Assert.Equal("1000,1000", loss[^1]);
        // The val_loss point at step 150 (0.5) sits at x = 150/199 of the width, y = (2 − 0.5) / (2 − 2/20.9) of the height.
        var val = (await lines.Nth(1).GetAttributeAsync("points"))!.Split(' ');
        Assert.Equal(20, val.Length);
        var yMin = 2 / 20.9;
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{150 * 1000.0 / 199:0.#},{(2 - 0.5) * 1000 / (2 - yMin):0.#}"), val[15]);
        Assert.Equal("2", await chart.Locator(".y-top").InnerTextAsync());
        Assert.Equal("0.09569", await chart.Locator(".y-bottom").InnerTextAsync());
        Assert.Equal("199", await chart.Locator(".x-right").InnerTextAsync());
    }

    [Fact]
    public async Task Without_a_session_or_for_another_projects_key_the_prerendered_page_says_so()
    {
        var run = await OverfittingRunAsync("first-paint-private");
        await using var context = await ScriptlessContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"runs/{run.Id}");
        Assert.Equal(1, await page.Locator("#sign-in-needed").CountAsync());
        Assert.DoesNotContain("first-paint", await page.InnerTextAsync("body"), StringComparison.Ordinal);

        var other = await Fx.Admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read, Project: "first-paint-other"));
        await page.GotoAsync($"login?key={Uri.EscapeDataString(other.Key)}");
        await page.WaitForSelectorAsync("#signed-in");
        await page.GotoAsync($"runs/{run.Id}");
        Assert.Contains("bound to project 'first-paint-other'", await page.InnerTextAsync("#run-error"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#charts").CountAsync());

        await page.GotoAsync("runs/no-such-run");
        Assert.Equal("Run 'no-such-run' does not exist.", await page.InnerTextAsync("#run-error"));
    }

    [Fact]
    public async Task The_interactive_page_starts_from_the_prerendered_data_and_plotly_replaces_the_drawing()
    {
        var run = await OverfittingRunAsync("first-paint-live");
        var page = await Fx.SignedInPageAsync();
        // The run itself is not read again before the charts draw: hold its request back, and the charts still draw
        // (the page took the run, its keys and the verdict from the state the server left in the HTML).
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync($"**/api/v1/runs/{run.Id}", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync($"runs/{run.Id}");
        Assert.Equal(200, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 200));
        Assert.Equal(20, await DashboardFixture.ChartPointsAsync(page, "chart-loss", trace: 1));
        await page.WaitForSelectorAsync("#chart-loss ~ .sketch", new() { State = WaitForSelectorState.Detached });
        Assert.Equal("first-paint", await page.InnerTextAsync("#run-name"));
        release.SetResult();
        // The JS initializer marks the WebAssembly start for DevTools and the benchmarks: begun, then up, in that order.
        var marks = await page.EvaluateAsync<double[]>(
            "() => ['tracker:webassembly-start', 'tracker:webassembly-started'].map(n => performance.getEntriesByName(n, 'mark')[0]?.startTime ?? -1)"
        );
        Assert.True(marks[0] > 0 && marks[1] > marks[0], $"User Timing marks: start {marks[0]}, started {marks[1]}");

        // Live points still arrive after the hand-over.
        await Fx.Admin.LogMetricsAsync(run.Id, new LogMetricsRequest(2, [new MetricPointInput("loss", 200, 0.09)]));
        Assert.Equal(201, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 201));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_first_visit_is_interactive_over_a_server_circuit_and_the_next_load_runs_in_webassembly()
    {
        var run = await OverfittingRunAsync("first-visit");
        // Eight more charts of 300 points: the page's persisted state (the charts' sketches) travels back to the server
        // when its circuit starts, well over SignalR's default 32 KB message limit.
        await Fx.Admin.LogMetricsAsync(
            run.Id,
            new LogMetricsRequest(
                3,
                [.. Enumerable.Range(0, 8).SelectMany(k => Enumerable.Range(0, 300).Select(s => new MetricPointInput($"m{k}", s, Math.Sin(s / 7.0 + k))))]
            )
        );
        var page = await Fx.SignedInPageAsync(bootWebAssembly: false);
        await page.GotoAsync($"runs/{run.Id}");
        // Nothing of the WebAssembly runtime is cached: the page is interactive over a server circuit, whose API client
        // and hub connection reach the server on loopback with the browser's session.
        await page.WaitForSelectorAsync("#run-renderer[data-renderer='Server']", new() { State = WaitForSelectorState.Attached });
        Assert.Equal(200, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 200));
        await Fx.Admin.LogMetricsAsync(run.Id, new LogMetricsRequest(4, [new MetricPointInput("loss", 200, 0.09)]));
        Assert.Equal(201, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 201));

        // A write goes through the same session.
        await page.ClickAsync("#edit-run");
        await page.FillAsync("#edit-name", "renamed-on-the-server");
        await page.ClickAsync("#save-run");
        await page.WaitForSelectorAsync("#run-name:has-text('renamed-on-the-server')");
        Assert.Equal("renamed-on-the-server", (await Fx.Admin.GetRunAsync(run.Id)).Name);

        // Meanwhile the runtime downloaded: the next load of the page runs in the browser.
        await page.WaitForFunctionAsync("() => Object.keys(localStorage).some(k => k.startsWith('blazor-resource-hash'))");
        // Its compilation waited for the page to be live: dotnet.native.wasm was requested only once the charts in view
        // had been drawn (or, on a busy machine, 3 s after the circuit started).
        var held = await page.EvaluateAsync<string[]>(
            """
            () => {
                const mark = performance.getEntriesByName('tracker:webassembly-released')[0];
                const wasm = performance.getEntriesByType('resource').find(r => /\/dotnet\.native\.[^/]*wasm$/.test(r.name));
                return [mark ? mark.detail : 'no mark', mark && wasm && wasm.startTime >= mark.startTime ? 'after' : 'before'];
            }
            """
        );
        Assert.Contains(held[0], new[] { "charts drawn", "timeout" });
        Assert.Equal("after", held[1]);
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#run-renderer[data-renderer='WebAssembly']", new() { State = WaitForSelectorState.Attached });
        Assert.Equal(201, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 201));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task In_app_navigation_after_a_first_visit_logs_no_error_or_failed_request()
    {
        var run = await OverfittingRunAsync("quiet-console");
        var page = await Fx.SignedInPageAsync(bootWebAssembly: false);
        var problems = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
                problems.Enqueue($"{m.Type}: {m.Text}");
        };
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
                problems.Enqueue($"{r.Status} {r.Request.Method} {r.Url}");
        };
        await page.GotoAsync($"runs/{run.Id}");
        await page.WaitForSelectorAsync("#run-renderer[data-renderer='Server']", new() { State = WaitForSelectorState.Attached });
        Assert.Equal(200, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 200));
        await page.WaitForFunctionAsync("() => Object.keys(localStorage).some(k => k.startsWith('blazor-resource-hash'))");

        // The run's project (a page of the client assembly) and back to the run, in the app: each merges the next page's
        // head into the document (a run without checkpoints: the page does not ask for its best one).
        for (var round = 0; round < 2; round++)
        {
            await page.ClickAsync("#run-project");
            await page.WaitForSelectorAsync($"#runs a.run-name[href$='{run.Id}']");
            await page.ClickAsync($"#runs a.run-name[href$='{run.Id}']");
            await page.WaitForSelectorAsync("#run-renderer[data-renderer='WebAssembly']", new() { State = WaitForSelectorState.Attached });
            Assert.Equal(200, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 200));
            await page.WaitForSelectorAsync("#no-artifacts", new() { State = WaitForSelectorState.Attached }); // the side panel has loaded
        }
        Assert.Empty(problems);
        await page.Context.CloseAsync();
    }
}
