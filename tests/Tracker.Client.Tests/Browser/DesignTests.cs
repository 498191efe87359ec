using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Tracker.Client.Tests.Browser;

/// <summary>Every route of the dashboard, in the light and the dark theme, on a 1280×720 laptop screen: it has a document
/// title, it does not scroll sideways, and axe-core finds no serious or critical WCAG 2.1 AA violation; the launch form
/// is reachable by keyboard with a visible focus.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DesignTests(DashboardFixture fx) : BrowserTest(fx)
{
    private static readonly string[] Wcag = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Every_route_has_a_title_fits_1280_by_720_and_passes_axe(ColorScheme scheme)
    {
        var project = $"design-{scheme.ToString().ToLowerInvariant()}";
        var runs = await DemoData.CreateSweepAsync(Fx.Admin, project);
        var page = await Fx.SignedInPageAsync(width: 1280, height: 720, colorScheme: scheme);
        var routes = new (string Url, string Title, Func<Task> Ready)[]
        {
            ("", "Projects · Tracker", () => page.WaitForSelectorAsync($"#projects a[href='projects/{project}']")),
            ($"projects/{project}", $"{project} · Tracker", () => page.WaitForSelectorAsync($"tr[data-run='{runs[0].Id}']")),
            ($"runs/{runs[0].Id}", $"{runs[0].Name} · Tracker", async () =>
            {
                await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 300);
                await page.WaitForSelectorAsync("#verdict-headline");
            }),
            ($"compare?runs={runs[0].Id},{runs[1].Id}", "Compare · Tracker", () =>
                DashboardFixture.WaitForChartPointsAsync(page, "compare-loss", 300, trace: 1)
            ),
            ($"projects/{project}/experiments/new", $"Launch experiment · {project} · Tracker", () => page.WaitForSelectorAsync("#launch-submit")),
            ("keys", "Keys · Tracker", () => page.WaitForSelectorAsync("#keys tr[data-key] .this-session")),
            ("login", "Sign in · Tracker", () => page.WaitForSelectorAsync("#signed-in")),
        };
        var failures = new List<string>();
        foreach (var (url, title, ready) in routes)
        {
            await page.GotoAsync(url);
            await ready();
            await page.WaitForFunctionAsync("t => document.title === t", title);

            var (scrollWidth, clientWidth) = await page.EvaluateAsync<int[]>(
                "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
            ) switch
            {
                [var s, var c] => (s, c),
                _ => (-1, -1),
            };
            if (scrollWidth > clientWidth)
                failures.Add($"/{url} scrolls sideways at 1280×720: scrollWidth {scrollWidth} > clientWidth {clientWidth}");

            var axe = await page.RunAxe(
                new AxeRunOptions
                {
                    RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Wcag] },
                }
            );
            foreach (var v in axe.Violations.Where(v => v.Impact is "serious" or "critical"))
                failures.Add($"/{url} ({scheme}): {v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_launch_form_is_reachable_by_keyboard_with_a_visible_focus()
    {
        var page = await Fx.SignedInPageAsync(width: 1280, height: 720);
        await page.GotoAsync("projects/keyboard/experiments/new");
        await page.WaitForSelectorAsync("#launch-submit");
        var seen = new List<string>();
        for (var i = 0; i < 80 && !seen.Contains("launch-submit"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var (id, outline) = await page.EvaluateAsync<string[]>(
                "() => { const e = document.activeElement; const s = getComputedStyle(e); return [e.id || e.tagName, s.outlineStyle + ' ' + s.outlineWidth]; }"
            ) switch
            {
                [var a, var b] => (a, b),
                _ => ("", ""),
            };
            seen.Add(id);
            if (id is "solver" or "launch-submit" or "param-lr")
                Assert.False(outline.StartsWith("none", StringComparison.Ordinal), $"#{id} has no visible focus: {outline}");
        }
        // Every control of the form is on the way: the selects, a parameter, its sweep button, the steps, the button.
        foreach (var id in new[] { "solver", "problem", "param-lr", "param-lr-add", "steps", "launch-submit" })
            Assert.Contains(id, seen);
    }
}
