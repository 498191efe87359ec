using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

/// <summary>The three tasks people open the dashboard for, done the way a person does them: by clicking.</summary>
[Collection(DashboardCollection.Name)]
public sealed class UserTaskTests(DashboardFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task From_a_project_a_sweeps_best_run_and_why_its_worst_was_told_to_stop_take_two_clicks()
    {
        const string project = "task-sweep";
        var good = await SweepRunAsync(project, "lr=0.01", floor: 0.2, overfits: false);
        var fair = await SweepRunAsync(project, "lr=0.03", floor: 0.3, overfits: false);
        var worst = await SweepRunAsync(project, "lr=0.3", floor: 0.4, overfits: true);
        using (var http = Fx.Server.CreateHttpClient())
        {
            var analysis = await http.GetFromJsonAsync<JsonElement>($"api/v1/runs/{worst.Id}/analysis");
            Assert.True(analysis.GetProperty("advice").GetProperty("shouldStop").GetBoolean(), analysis.ToString());
        }

        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"projects/{project}");
        await page.WaitForSelectorAsync($"tr[data-run='{worst.Id}']");
        var clicks = 0;

        // Click 1: sort by the loss the table shows by default (the smallest val_loss): the best run comes first.
        await page.ClickAsync("button.sort[data-sort='val_loss:min']");
        clicks++;
        await page.WaitForFunctionAsync("() => document.querySelector('button.sort.active')?.dataset.sort === 'val_loss:min'");
        var rows = page.Locator("#runs tbody tr[data-run]");
        Assert.Equal(good.Id, await rows.First.GetAttributeAsync("data-run"));
        Assert.Equal(worst.Id, await rows.Last.GetAttributeAsync("data-run"));
        Assert.NotEqual(fair.Id, await rows.First.GetAttributeAsync("data-run"));
        // The worst run's row already says it was told to stop.
        await page.WaitForFunctionAsync("id => document.querySelector(`tr[data-run='${id}'] td.pattern`)?.textContent.includes('stop')", worst.Id);

        // Click 2: open the worst run: the verdict and the stop action lead its analysis.
        await rows.Last.Locator("a.run-name").ClickAsync();
        clicks++;
        await page.WaitForSelectorAsync("#verdict-headline");
        var actions = await page.Locator("#verdict-actions li").AllTextContentsAsync();
        Assert.Contains(actions, a => a.Trim().StartsWith("Stop training", StringComparison.Ordinal));
        Assert.True(await page.Locator("#verdict-summary").IsVisibleAsync());
        Assert.InRange(clicks, 1, 3);
    }

    [Fact]
    public async Task Comparing_two_runs_shows_which_hyper_parameters_differ()
    {
        const string project = "task-compare";
        var a = await Fx.Admin.CreateRunAsync(project, new CreateRunRequest(Name: "a", Config: Config("""{"lr":0.1,"optimizer":"adam","batch_size":64}""")));
        var b = await Fx.Admin.CreateRunAsync(project, new CreateRunRequest(Name: "b", Config: Config("""{"lr":0.01,"optimizer":"adam","batch_size":128}""")));
        foreach (var run in new[] { a, b })
            await Fx.Admin.LogMetricsAsync(
                run.Id,
                new LogMetricsRequest(0, [.. Enumerable.Range(0, 10).Select(i => new MetricPointInput("loss", i, 1.0 / (i + 1)))])
            );

        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"projects/{project}");
        await page.CheckAsync($"tr[data-run='{a.Id}'] input.select-run");
        await page.CheckAsync($"tr[data-run='{b.Id}'] input.select-run");
        await page.ClickAsync("#compare");
        await page.WaitForURLAsync("**/compare?runs=*");
        await page.WaitForSelectorAsync("#compare-legend");
        var differing = (await page.Locator("#compare-legend th.differs").AllTextContentsAsync()).Select(t => t.Trim()).Order(StringComparer.Ordinal);
        Assert.Equal(["batch_size", "lr"], differing);
        var values = (await page.Locator("#compare-legend tbody code").AllTextContentsAsync()).Select(v => v.Trim()).ToList();
        Assert.Equal(["0.01", "0.1", "128", "64"], values.Order(StringComparer.Ordinal)); // each run's lr and batch_size, nothing else
    }

    [Fact]
    public async Task Launching_a_sweep_of_three_learning_rates_makes_three_runs_named_by_their_rate()
    {
        const string project = "task-launch";
        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"projects/{project}/experiments/new");
        await page.SelectOptionAsync("#solver", "gd");
        await page.SelectOptionAsync("#problem", "quadratic");
        foreach (var lr in new[] { "0.01", "0.03", "0.1" })
        {
            await page.FillAsync("#param-lr", lr);
            await page.ClickAsync("#param-lr-add");
        }
        Assert.Equal(["0.01", "0.03", "0.1"], await page.Locator("#param-lr-sweep li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.value)"));
        Assert.Equal("Launch 3 runs", (await page.Locator("#launch-submit").TextContentAsync())?.Trim());
        await page.FillAsync("#steps", "50");
        await LaunchAsync(page, "**/projects/task-launch?group=*");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#runs tbody tr[data-run]').length === 3");
        var names = (await page.Locator("#runs tbody a.run-name").AllTextContentsAsync()).Select(n => n.Trim()).Order(StringComparer.Ordinal);
        Assert.Equal(["lr=0.01", "lr=0.03", "lr=0.1"], names);
    }

    [Fact]
    public async Task A_switch_and_a_choice_sweep_as_chips_and_name_their_runs_by_the_value()
    {
        const string project = "task-launch-chips";
        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"projects/{project}/experiments/new");

        // A switch: its current value, then the other, as chips.
        await page.SelectOptionAsync("#solver", "gd");
        await page.SelectOptionAsync("#problem", "quadratic");
        await page.ClickAsync("#param-robbins_monro-add");
        await page.CheckAsync("#param-robbins_monro");
        await page.ClickAsync("#param-robbins_monro-add");
        Assert.Equal(["false", "true"], await ChipsAsync(page, "#param-robbins_monro-sweep"));
        Assert.Equal("Launch 2 runs", (await page.Locator("#launch-submit").TextContentAsync())?.Trim());
        await page.FillAsync("#steps", "20");
        await LaunchAsync(page, $"**/projects/{project}?group=*");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#runs tbody tr[data-run]').length === 2");
        Assert.Equal(["robbins_monro=false", "robbins_monro=true"], await RunNamesAsync(page));

        // A choice: each option added as a chip; a run per option, named by it (not by its JSON, "none").
        await page.GotoAsync($"projects/{project}/experiments/new");
        await page.SelectOptionAsync("#solver", "lbfgs");
        await page.SelectOptionAsync("#problem", "quadratic");
        await page.SelectOptionAsync("#param-line_search_fn", "none");
        await page.ClickAsync("#param-line_search_fn-add");
        await page.SelectOptionAsync("#param-line_search_fn", "strong_wolfe");
        await page.ClickAsync("#param-line_search_fn-add");
        Assert.Equal(["none", "strong_wolfe"], await ChipsAsync(page, "#param-line_search_fn-sweep"));
        await page.FillAsync("#steps", "5");
        await LaunchAsync(page, $"**/projects/{project}?group=*");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#runs tbody tr[data-run]').length === 2");
        Assert.Equal(["line_search_fn=none", "line_search_fn=strong_wolfe"], await RunNamesAsync(page));

        // What has no chips says how it sweeps, or that it does not.
        await page.GotoAsync($"projects/{project}/experiments/new");
        await page.SelectOptionAsync("#solver", "adam");
        Assert.Equal(0, await page.Locator("#param-betas-add").CountAsync());
        Assert.Contains("to sweep, separate lists with ';'", await page.Locator(".field[data-field='param-betas'] .hint").TextContentAsync());
        await page.SelectOptionAsync("#schedule", "multistep");
        await page.Locator("#schedule-no-sweep").WaitForAsync();
        Assert.Equal(0, await page.Locator("#schedule-gamma-add").CountAsync());
    }

    /// <summary>Clicks Launch and waits until the page has gone to <paramref name="urlGlob"/> (its URL committed, not its
    /// load event: in-app navigation has none); a launch the page refused fails at once with the page's message.</summary>
    private static async Task LaunchAsync(IPage page, string urlGlob)
    {
        await page.ClickAsync("#launch-submit");
        await page.WaitForFunctionAsync(
            "() => !document.getElementById('launch-submit') || !!document.getElementById('launch-error')",
            null,
            new() { Timeout = 60_000 }
        );
        if (await page.Locator("#launch-error").CountAsync() > 0)
            Assert.Fail("The launch was refused: " + await page.Locator("#launch-error").TextContentAsync());
        await page.WaitForURLAsync(urlGlob, new() { WaitUntil = WaitUntilState.Commit });
    }

    private static Task<string[]> ChipsAsync(IPage page, string list) =>
        page.Locator($"{list} li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.value)");

    private static async Task<IEnumerable<string>> RunNamesAsync(IPage page) =>
        (await page.Locator("#runs tbody a.run-name").AllTextContentsAsync()).Select(n => n.Trim()).Order(StringComparer.Ordinal);

    private static JsonElement Config(string json) => JsonDocument.Parse(json).RootElement;

    /// <summary>A run of the sweep: training falls to a floor; validation falls too, or (when it overfits) bottoms out at
    /// step 200 and climbs, which the analysis tells to stop.</summary>
    private async Task<RunDto> SweepRunAsync(string project, string name, double floor, bool overfits)
    {
        var run = await Fx.Admin.CreateRunAsync(project, new CreateRunRequest(Name: name, Group: "sweep"));
        var random = new Random(name.Length);
        var points = new List<MetricPointInput>();
        for (var s = 0; s < 600; s++)
        {
            points.Add(new("loss", s, 2.3 * Math.Exp(-s / 40.0) + floor - 0.1 + 0.1 * (random.NextDouble() - 0.5)));
            points.Add(new("lr", s, 0.1));
            if (s % 10 == 0)
                points.Add(new("val_loss", s, 2.3 * Math.Exp(-s / 40.0) + floor + (overfits ? 0.002 * Math.Max(0, s - 200) : 0)));
        }
        await Fx.Admin.LogMetricsAsync(run.Id, new LogMetricsRequest(0, points));
        return run;
    }
}
