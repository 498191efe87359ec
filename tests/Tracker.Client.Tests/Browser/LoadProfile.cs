using Microsoft.Playwright;

namespace Tracker.Client.Tests.Browser;

/// <summary>Where a page load's time went, read from the browser's Resource Timing entries (benchmarks only): the
/// document, the WebAssembly runtime's files, plotly.js and the API requests, each as start–end in ms after navigation
/// started, with their count and bytes on the wire / decoded.</summary>
internal static class LoadProfile
{
    private const string Script = """
        () => {
            const nav = performance.getEntriesByType('navigation')[0];
            const all = performance.getEntriesByType('resource');
            const part = (name, f) => {
                const e = all.filter(f);
                if (e.length === 0) return name + ' none';
                const start = Math.min(...e.map(x => x.startTime)), end = Math.max(...e.map(x => x.responseEnd));
                const wire = e.reduce((a, x) => a + x.transferSize, 0), body = e.reduce((a, x) => a + x.decodedBodySize, 0);
                return `${name} ${e.length}× ${start.toFixed(0)}–${end.toFixed(0)} ms, ${(wire / 1024).toFixed(0)} KiB wire / ${(body / 1024).toFixed(0)} KiB decoded`;
            };
            return [
                `document ${nav ? nav.responseEnd.toFixed(0) : '?'} ms`,
                part('page fetch', x => x.initiatorType === 'fetch' && !x.name.includes('/api/') && !x.name.includes('/_framework/') && !x.name.includes('/hubs/')),
                part('_framework', x => x.name.includes('/_framework/')),
                part('plotly', x => x.name.includes('plotly')),
                part('api', x => x.name.includes('/api/v1/')),
                part('history', x => x.name.includes('/metrics/')),
                part('hub', x => x.name.includes('/hubs/')),
                `now ${performance.now().toFixed(0)} ms`,
            ].join('; ');
        }
        """;

    /// <summary>One line: the parts of the current page's load.</summary>
    public static async Task<string> ReadAsync(IPage page) => await page.EvaluateAsync<string>(Script);

    /// <summary>Every resource of the current page, one a line in start order: start, first byte and end in ms after
    /// navigation started, bytes on the wire, and the file's name.</summary>
    public static async Task<string> ReadEntriesAsync(IPage page) =>
        await page.EvaluateAsync<string>(
            """
            () => performance.getEntriesByType('resource')
                .sort((a, b) => a.startTime - b.startTime)
                .map(x => `    ${x.startTime.toFixed(0)} ${x.responseStart.toFixed(0)} ${x.responseEnd.toFixed(0)} ${(x.transferSize / 1024).toFixed(1)}K ${x.name.substring(x.name.lastIndexOf('/') + 1)}`)
                .join('\n')
            """
        );

    /// <summary>Forgets earlier resource entries (before an in-app navigation, whose requests are then the only ones).</summary>
    public static Task ClearAsync(IPage page) =>
        page.EvaluateAsync("() => { performance.clearResourceTimings(); performance.setResourceTimingBufferSize(10000); }");

    /// <summary>Starts Chrome's sampling CPU profiler on the page (1 ms interval).</summary>
    public static async Task<ICDPSession> StartCpuAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Profiler.enable");
        await cdp.SendAsync("Profiler.setSamplingInterval", new Dictionary<string, object> { ["interval"] = 1000 });
        await cdp.SendAsync("Profiler.start");
        return cdp;
    }

    /// <summary>Stops the profiler; returns the <paramref name="top"/> functions by self time, one a line.</summary>
    public static async Task<string> StopCpuAsync(ICDPSession cdp, int top = 20)
    {
        var result = await cdp.SendAsync("Profiler.stop");
        var profile = result!.Value.GetProperty("profile");
        // The raw profile, for a look in Chrome's DevTools (Performance → Load profile) or a script.
        if (Environment.GetEnvironmentVariable("TRACKER_DASHBOARD_BENCH_CPU_OUT") is { Length: > 0 } path)
            await File.WriteAllTextAsync(path, profile.GetRawText());
        var nodes = profile.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetInt32());
        var deltas = profile.GetProperty("timeDeltas").EnumerateArray().Select(d => d.GetDouble()).ToArray();
        var samples = profile.GetProperty("samples").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var self = new Dictionary<string, double>();
        for (var i = 0; i < samples.Length; i++)
        {
            var frame = nodes[samples[i]].GetProperty("callFrame");
            var url = frame.GetProperty("url").GetString() ?? "";
            var name = (frame.GetProperty("functionName").GetString() is { Length: > 0 } f ? f : "(anonymous)") + " " + url[(url.LastIndexOf('/') + 1)..];
            var ms = (i + 1 < deltas.Length ? deltas[i + 1] : 0) / 1000.0;
            self[name] = self.GetValueOrDefault(name) + ms;
        }
        var total = self.Values.Sum();
        var byFile = self.GroupBy(kv => kv.Key[(kv.Key.LastIndexOf(' ') + 1)..] is { Length: > 0 } f ? f : kv.Key)
            .Select(g => (Name: g.Key, Ms: g.Sum(kv => kv.Value)))
            .OrderByDescending(g => g.Ms)
            .Take(8);
        return "    by script: "
            + string.Join(", ", byFile.Select(g => $"{g.Name} {g.Ms:F0} ms"))
            + "\n"
            + string.Join(
                "\n",
                self.OrderByDescending(kv => kv.Value).Take(top).Select(kv => $"    {kv.Value, 8:F0} ms {100 * kv.Value / total, 5:F1} %  {kv.Key}")
            );
    }
}
