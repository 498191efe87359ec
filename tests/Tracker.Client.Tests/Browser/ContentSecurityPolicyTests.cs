using System.Collections.Concurrent;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

/// <summary>The dashboard works under the server's Content-Security-Policy: Blazor WebAssembly, the import map, plotly.js
/// and the live hub load and run, and the browser reports no violation.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ContentSecurityPolicyTests(DashboardFixture fx) : BrowserTest(fx)
{
    private const string RecordViolations = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
        """;

    [Fact]
    public async Task The_run_page_draws_its_charts_live_with_no_policy_violation()
    {
        var admin = Fx.Admin;
        var run = await admin.CreateRunAsync("csp", new CreateRunRequest(Name: "csp-run"));
        await admin.LogMetricsAsync(run.Id, new LogMetricsRequest(0, [.. Enumerable.Range(0, 50).Select(i => new MetricPointInput("loss", i, 2.0 / (i + 1)))]));

        var page = await Fx.SignedInPageAsync();
        var console = new ConcurrentQueue<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Text.Contains("Refused to", StringComparison.Ordinal))
                console.Enqueue(m.Text);
        };
        await page.Context.AddInitScriptAsync(RecordViolations);
        var response = await page.GotoAsync($"runs/{run.Id}");
        Assert.Contains("'wasm-unsafe-eval'", await response!.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);

        Assert.Equal(50, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 50));
        await admin.LogMetricsAsync(run.Id, new LogMetricsRequest(1, [new MetricPointInput("loss", 50, 0.01)]));
        Assert.Equal(51, await DashboardFixture.WaitForChartPointsAsync(page, "chart-loss", 51));

        // Navigate inside the app (enhanced navigation) and back: the projects page and a second chart load.
        await page.GotoAsync("projects/csp");
        await page.WaitForSelectorAsync($"tr[data-run='{run.Id}']");
        var violations = await page.EvaluateAsync<string[]>("() => window.__cspViolations");
        Assert.Empty(violations);
        Assert.Empty(console);
    }
}
