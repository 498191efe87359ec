using Microsoft.Playwright;
using Tracker.Sdk.Client;
using Tracker.TestSupport;

namespace Tracker.Client.Tests.Browser;

/// <summary>One real server (Kestrel on 127.0.0.1, PostgreSQL, Development environment so the dashboard's static web
/// assets are served from the build output) and one headless Debian chromium, shared by the browser tests.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ];

    private readonly List<IBrowserContext> _contexts = [];
    private IPlaywright? _playwright;

    /// <summary>The server.</summary>
    public TrackerServer Server { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>An admin client of the server.</summary>
    public TrackerClient Admin => Server.CreateClient();

    public async Task InitializeAsync()
    {
        Server = TrackerServer.Start(StoreKind.Postgres, environment: "Development");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(
            new()
            {
                ExecutablePath = Environment.GetEnvironmentVariable("TRACKER_TEST_CHROMIUM") ?? "/usr/bin/chromium",
                Headless = true,
                Args = ChromiumArgs,
            }
        );
    }

    /// <summary>A new browser page signed in with <paramref name="key"/> through <c>/login?key=</c> (on <paramref name="server"/>,
    /// this fixture's server by default), in the light or dark system theme; with the WebAssembly runtime booted once in the
    /// context unless <paramref name="bootWebAssembly"/> is false (a browser's first visit).</summary>
    public async Task<IPage> SignedInPageAsync(
        string key = TrackerServer.AdminKey,
        int width = 1400,
        int height = 1000,
        Uri? server = null,
        ColorScheme colorScheme = ColorScheme.Light,
        bool bootWebAssembly = true
    )
    {
        var context = await NewContextAsync(
            new()
            {
                BaseURL = (server ?? Server.BaseAddress).ToString(),
                ViewportSize = new() { Width = width, Height = height },
                ColorScheme = colorScheme,
            }
        );
        // Generous: the suite runs the server tests beside these on two cores, and a page's WebAssembly start then
        // competes with them; a real failure still ends in a timeout, only later.
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        page.Console += (_, m) => Log($"[browser {m.Type}] {m.Text}");
        page.PageError += (_, e) => Log($"[browser error] {e}");
        await page.GotoAsync($"login?key={Uri.EscapeDataString(key)}");
        await page.WaitForSelectorAsync("#signed-in");
        // The sign-in page is server-rendered and loads no WebAssembly: boot the dashboard once in a second page of the
        // same context, so the runtime's files are in this context's cache and a test's first page does not spend its
        // own time limit on a cold start (the untrimmed in-process build is ~25 MB).
        if (!bootWebAssembly)
            return page; // a browser's first visit: nothing of the WebAssembly runtime cached
        var warm = await context.NewPageAsync();
        await warm.GotoAsync("");
        await warm.WaitForSelectorAsync("#projects, #no-projects", new() { Timeout = 120_000 });
        await warm.CloseAsync();
        return page;
    }

    /// <summary>A new browser context (a fresh profile), closed by <see cref="CloseContextsAsync"/> at the end of the test.</summary>
    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        var context = await Browser.NewContextAsync(options);
        lock (_contexts)
            _contexts.Add(context);
        return context;
    }

    /// <summary>Closes the contexts opened since the last call, with their pages and live connections.</summary>
    public async Task CloseContextsAsync()
    {
        IBrowserContext[] open;
        lock (_contexts)
        {
            open = [.. _contexts];
            _contexts.Clear();
        }
        foreach (var context in open)
            await context.CloseAsync();
    }

    /// <summary>Waits until the Plotly chart <paramref name="chartId"/> holds at least <paramref name="points"/> points in trace <paramref name="trace"/>; returns the count.</summary>
    public static async Task<int> WaitForChartPointsAsync(IPage page, string chartId, int points, int trace = 0, float timeoutMs = 30_000)
    {
        await page.WaitForFunctionAsync(
            "([id, n, t]) => { const el = document.getElementById(id); return !!(el && el.data && el.data[t] && el.data[t].x && el.data[t].x.length >= n); }",
            new object[] { chartId, points, trace },
            new() { Timeout = timeoutMs, PollingInterval = 5 }
        );
        return await ChartPointsAsync(page, chartId, trace);
    }

    /// <summary>Holds back the page's SignalR negotiation (so its live subscription) until the returned source completes.</summary>
    public static async Task<TaskCompletionSource> HoldHubNegotiationAsync(IPage page)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/hubs/runs/negotiate**", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        return release;
    }

    /// <summary>Points in trace <paramref name="trace"/> of the chart, or -1 when it has none.</summary>
    public static Task<int> ChartPointsAsync(IPage page, string chartId, int trace = 0) =>
        page.EvaluateAsync<int>(
            "([id, t]) => { const el = document.getElementById(id); return el && el.data && el.data[t] ? el.data[t].x.length : -1; }",
            new object[] { chartId, trace }
        );

    private static readonly Lock LogLock = new();

    /// <summary>Browser console lines go to <c>TRACKER_TEST_BROWSER_LOG</c> when set.</summary>
    public static void Log(string line)
    {
        if (Environment.GetEnvironmentVariable("TRACKER_TEST_BROWSER_LOG") is not { Length: > 0 } path)
            return;
        lock (LogLock)
            File.AppendAllText(path, $"{DateTime.Now:HH:mm:ss.fff} {line}\n");
    }

    /// <summary>Saves a screenshot under <c>TestResults/screenshots/</c>, or over the README's <c>docs/screenshots/</c>
    /// when <c>TRACKER_UPDATE_SCREENSHOTS=1</c> (so a test run does not dirty the working tree).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var dir =
            Environment.GetEnvironmentVariable("TRACKER_UPDATE_SCREENSHOTS") == "1"
                ? Path.Combine(RepositoryRoot(), "docs", "screenshots")
                : Path.Combine(RepositoryRoot(), "TestResults", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tracker.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Server is not null)
            await Server.DisposeAsync();
    }
}

/// <summary>The browser tests share one server and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "dashboard";
}
