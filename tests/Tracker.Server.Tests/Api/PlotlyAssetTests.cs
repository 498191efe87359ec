using System.Net;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Api;

/// <summary>The vendored plotly.js as the dashboard serves it.</summary>
[Trait("Store", "Sqlite")]
public sealed class PlotlyAssetTests : IAsyncLifetime
{
    private TrackerServer _server = null!;

    public Task InitializeAsync()
    {
        _server = TrackerServer.Start(StoreKind.Sqlite, environment: "Development");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Plotly_starts_with_the_compile_hint_that_moves_its_compilation_off_the_main_thread()
    {
        // V8's explicit compile hint: compile every function while the script streams in, off the main thread (measured:
        // the first visit's longest main-thread task 0.46-0.64 s instead of 0.76-1.22 s). A plotly.js update must keep it.
        using var http = _server.CreateHttpClient(null);
        using var response = await http.GetAsync("lib/plotly/plotly-cartesian-3.7.0.min.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("//# allFunctionsCalledOnLoad\n", body, StringComparison.Ordinal);
        Assert.Contains("window.Plotly = Plotly;", body, StringComparison.Ordinal);
    }
}
