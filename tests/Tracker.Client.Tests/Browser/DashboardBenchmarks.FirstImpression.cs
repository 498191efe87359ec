using System.Diagnostics;
using Microsoft.Playwright;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Client.Tests.Browser;

// Issue 17's first-impression figures: sign-in in a new browser profile, and the run page's first paint, interactive time
// and in-app navigation.
public sealed partial class DashboardBenchmarks
{
    /// <summary>A browser profile that has never opened Tracker follows the printed sign-in link: the time until the
    /// page says it is signed in, and what it downloaded (TRACKER_DASHBOARD_BENCH_LOADS new profiles, 3 by default).</summary>
    [BenchFact]
    public async Task Sign_in_in_a_new_browser_profile()
    {
        var server = ExternalServer ?? _published?.BaseAddress ?? Fx.Server.BaseAddress;
        var loads = int.TryParse(Environment.GetEnvironmentVariable("TRACKER_DASHBOARD_BENCH_LOADS"), out var l) && l > 0 ? l : 3;
        for (var attempt = 0; attempt < loads; attempt++)
        {
            // The browser's own floor, timed the same way: a new profile opening a page that needs no server at all.
            var blank = await Fx.NewContextAsync(new());
            try
            {
                var blankPage = await blank.NewPageAsync();
                var floor = Stopwatch.StartNew();
                await blankPage.GotoAsync("data:text/html,<p id=ready>ready</p>", new() { WaitUntil = WaitUntilState.Commit });
                await blankPage.WaitForSelectorAsync("#ready");
                Figure($"new profile, a one-line data: page (the browser's floor): {floor.ElapsedMilliseconds} ms");
            }
            finally
            {
                await blank.CloseAsync();
            }
            var context = await Fx.NewContextAsync(new() { BaseURL = server.ToString() });
            try
            {
                var page = await context.NewPageAsync();
                await page.AddInitScriptAsync("performance.setResourceTimingBufferSize(10000)");
                var clock = Stopwatch.StartNew();
                // Timed to the moment the words are in the page (not to its load event, which waits for its scripts).
                await page.GotoAsync($"login?key={Uri.EscapeDataString(TrackerServer.AdminKey)}", new() { WaitUntil = WaitUntilState.Commit });
                await page.WaitForSelectorAsync("#signed-in", new() { Timeout = 60_000 });
                var elapsed = clock.ElapsedMilliseconds;
                await page.WaitForLoadStateAsync(LoadState.Load);
                var loaded = clock.ElapsedMilliseconds;
                var paint = await page.EvaluateAsync<string>(
                    "() => performance.getEntriesByType('paint').filter(e => e.name === 'first-contentful-paint').map(e => e.startTime.toFixed(0) + ' ms').join('') || 'n/a'"
                );
                var bytes = await page.EvaluateAsync<double[]>(
                    "() => { const e = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]; return [e.reduce((a, x) => a + x.transferSize, 0), e.reduce((a, x) => a + x.decodedBodySize, 0), e.length]; }"
                );
                Figure(
                    $"new profile, sign-in link to 'signed in': {elapsed} ms (first contentful paint of the page {paint}, load event {loaded} ms); {bytes[2]:N0} requests, {bytes[0] / 1048576:F2} MiB on the wire, {bytes[1] / 1048576:F2} MiB decoded"
                );
                Figure("  profile: " + await LoadProfile.ReadAsync(page));
                // What the newcomer does next: the page's link to the dashboard (the first page that boots WebAssembly).
                clock.Restart();
                await page.ClickAsync("#open-dashboard");
                await page.WaitForSelectorAsync("#projects, #no-projects", new() { Timeout = 60_000 });
                var opened = clock.ElapsedMilliseconds;
                bytes = await page.EvaluateAsync<double[]>(
                    "() => { const e = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]; return [e.reduce((a, x) => a + x.transferSize, 0), e.reduce((a, x) => a + x.decodedBodySize, 0), e.length]; }"
                );
                Figure(
                    $"  then 'Open the dashboard' to the projects list: {opened} ms; {bytes[2]:N0} requests, {bytes[0] / 1048576:F2} MiB on the wire, {bytes[1] / 1048576:F2} MiB decoded since sign-in"
                );
            }
            finally
            {
                await context.CloseAsync();
            }
        }
    }

    /// <summary>Issue 17's targets: a browser profile that never opened Tracker signs in through the printed link and opens
    /// a run page with 6 charts of 100,000 points each (TRACKER_DASHBOARD_BENCH_LOADS new profiles, 3 by default): first
    /// drawn chart, all charts in view, interactive; then the in-app navigation from the runs table to the run.</summary>
    [BenchFact]
    public async Task Run_page_first_paint_in_a_new_browser_profile()
    {
        var admin = Admin;
        const int charts = 6;
        var pointsPerSeries = int.TryParse(Environment.GetEnvironmentVariable("TRACKER_DASHBOARD_BENCH_POINTS"), out var n) ? n : 100_000;
        var run = await admin.CreateRunAsync("bench-first-paint", new CreateRunRequest(Name: "six-charts"));
        var seq = 0L;
        for (var start = 0; start < pointsPerSeries; start += 1000)
        {
            var points = new List<MetricPointInput>(charts * 1000);
            for (var s = start; s < start + 1000 && s < pointsPerSeries; s++)
            {
                for (var k = 0; k < charts; k++)
                    points.Add(new($"q{k}", s, Math.Exp(-s / 20000.0) * (1 + 0.1 * Math.Sin(s / 300.0 + k)) + k));
            }
            await admin.LogMetricsAsync(run.Id, new LogMetricsRequest(seq++, points));
        }
        Figure($"ingested {charts} series (one chart each) x {pointsPerSeries:N0} points");
        var server = _published?.BaseAddress ?? Fx.Server.BaseAddress;
        var loads = int.TryParse(Environment.GetEnvironmentVariable("TRACKER_DASHBOARD_BENCH_LOADS"), out var l) && l > 0 ? l : 3;
        for (var attempt = 0; attempt < loads; attempt++)
        {
            var context = await Fx.Browser.NewContextAsync(
                new()
                {
                    BaseURL = server.ToString(),
                    ViewportSize = new() { Width = 1400, Height = 1000 },
                }
            );
            try
            {
                await context.AddInitScriptAsync(FirstPaintProbe.Script);
                var page = await context.NewPageAsync();
                page.Console += (_, m) => DashboardFixture.Log($"[browser {m.Type}] {m.Text}");
                page.PageError += (_, e) => DashboardFixture.Log($"[browser error] {e}");
                page.Response += (_, r) =>
                {
                    if (r.Status >= 400)
                        DashboardFixture.Log($"[browser response] {r.Status} {r.Request.Method} {r.Url}");
                };
                var clock = Stopwatch.StartNew();
                await page.GotoAsync($"login?key={Uri.EscapeDataString(TrackerServer.AdminKey)}", new() { WaitUntil = WaitUntilState.Commit });
                await page.WaitForSelectorAsync("#signed-in", new() { Timeout = 60_000 });
                Figure($"new profile {attempt + 1}/{loads}: sign-in link to 'signed in' {clock.ElapsedMilliseconds} ms");
                var fullCpu =
                    attempt == 0 && Environment.GetEnvironmentVariable("TRACKER_DASHBOARD_BENCH_CPU") == "full" ? await LoadProfile.StartCpuAsync(page) : null;
                await page.GotoAsync($"runs/{run.Id}", new() { WaitUntil = WaitUntilState.Commit });
                await page.WaitForFunctionAsync(
                    "() => window.__fp && window.__fp.interactive !== undefined",
                    null,
                    new() { Timeout = 60_000, PollingInterval = 20 }
                );
                var t = await page.EvaluateAsync<Dictionary<string, double>>(
                    "() => { const { long, armed, ...rest } = window.__fp; return { ...rest, document: performance.getEntriesByType('navigation')[0].responseEnd }; }"
                );
                Figure(
                    $"  run page ({t["charts"]:F0} charts in view): document {t["document"]:F0} ms, first drawn chart {t["first"]:F0} ms, all charts in view {t["all"]:F0} ms, interactive (Plotly) {t["interactive"]:F0} ms"
                );
                Figure("  profile: " + await LoadProfile.ReadAsync(page));
                Figure(
                    "  long tasks until interactive (start+duration ms): "
                        + await page.EvaluateAsync<string>(
                            "() => window.__fp.long.filter(([s]) => s < window.__fp.interactive).map(([s, d]) => `${s.toFixed(0)}+${d.toFixed(0)}`).join(', ')"
                        )
                );
                Figure(
                    "  WebAssembly runtime (the page's User Timing marks, ms): "
                        + await page.EvaluateAsync<string>(
                            "() => performance.getEntriesByType('mark').filter(m => m.name.startsWith('tracker:')).map(m => `${m.name.substring(8)}${m.detail ? ' (' + m.detail + ')' : ''} ${m.startTime.toFixed(0)}`).join(', ') || 'none'"
                        )
                );
                if (fullCpu is not null)
                    Figure("  main thread by self time:\n" + await LoadProfile.StopCpuAsync(fullCpu, top: 30));
                if (Environment.GetEnvironmentVariable("TRACKER_DASHBOARD_BENCH_RESOURCES") == "1")
                    Figure("  resources (start, first byte, end, wire, name):\n" + await LoadProfile.ReadEntriesAsync(page));

                // In-app: the runs table (WebAssembly running) → the run.
                await page.GotoAsync("projects/bench-first-paint");
                await page.WaitForSelectorAsync("#runs a.run-name", new() { Timeout = 60_000 });
                await LoadProfile.ClearAsync(page);
                var cpu =
                    attempt == 0 && Environment.GetEnvironmentVariable("TRACKER_DASHBOARD_BENCH_CPU") == "1" ? await LoadProfile.StartCpuAsync(page) : null;
                await page.EvaluateAsync("() => window.__fpReset()");
                await page.ClickAsync("#runs a.run-name");
                await page.WaitForFunctionAsync("() => window.__fp.interactive !== undefined", null, new() { Timeout = 60_000, PollingInterval = 20 });
                if (cpu is not null)
                    Figure("  in-app, main thread by self time:\n" + await LoadProfile.StopCpuAsync(cpu, top: 25));
                var longTasks = await page.EvaluateAsync<string>(
                    "() => window.__fp.long.filter(([s]) => s < window.__fp.interactive).map(([s, d]) => `${(s - window.__fp.start).toFixed(0)}+${d.toFixed(0)}`).join(', ')"
                );
                t = await page.EvaluateAsync<Dictionary<string, double>>("() => { const { long, armed, ...rest } = window.__fp; return rest; }");
                Figure(
                    $"  in-app runs table → run: first drawn chart {t["first"] - t["start"]:F0} ms after the click (a sketch in the document at {t.GetValueOrDefault("inDom", double.NaN) - t["start"]:F0} ms; the harness asked for the click {t["start"] - t["asked"]:F0} ms before it came), all in view {t["all"] - t["start"]:F0} ms, interactive {t["interactive"] - t["start"]:F0} ms"
                );
                Figure($"  in-app profile (from {t["start"]:F0} ms): " + await LoadProfile.ReadAsync(page));
                Figure(
                    $"  in-app long tasks until interactive (ms after the click + duration): {longTasks}; click at {t["start"]:F0} ms (page clock), time origin {await page.EvaluateAsync<double>("() => performance.timeOrigin"):F0}"
                );
            }
            finally
            {
                await context.CloseAsync();
            }
        }
    }

    /// <summary>A server started elsewhere (<c>TRACKER_DASHBOARD_BENCH_URL</c>, e.g. by the README's first command with
    /// <c>Tracker__AdminKey</c> set to the tests' admin key): the sign-in benchmark measures what a newcomer gets.</summary>
    private static Uri? ExternalServer => Environment.GetEnvironmentVariable("TRACKER_DASHBOARD_BENCH_URL") is { Length: > 0 } url ? new Uri(url) : null;
}
