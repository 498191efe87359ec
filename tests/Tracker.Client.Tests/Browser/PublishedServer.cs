using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tracker.Sdk.Client;
using Tracker.TestSupport;

namespace Tracker.Client.Tests.Browser;

/// <summary>The server as users run it: the output of <c>dotnet publish -c Release</c> (trimmed WebAssembly, Brotli,
/// Production environment) started as its own process on the fixture's PostgreSQL database. Benchmarks use it when
/// <c>TRACKER_DASHBOARD_BENCH_PUBLISHED</c> names the publish folder.</summary>
internal sealed class PublishedServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;

    private PublishedServer(Process process, Uri baseAddress, string dataDir)
    {
        _process = process;
        BaseAddress = baseAddress;
        _dataDir = dataDir;
    }

    /// <summary>The publish folder, or null when the benchmarks use the in-process server.</summary>
    public static string? Folder => Environment.GetEnvironmentVariable("TRACKER_DASHBOARD_BENCH_PUBLISHED") is { Length: > 0 } dir ? dir : null;

    /// <summary>The server's base address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>An admin client of this server.</summary>
    public TrackerClient CreateClient() => TrackerClient.Create(BaseAddress, TrackerServer.AdminKey);

    /// <summary>Starts <c>Tracker.Server.dll</c> from <paramref name="folder"/> on <paramref name="connectionString"/>.</summary>
    public static async Task<PublishedServer> StartAsync(string folder, string connectionString)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var dataDir = TestFolders.Create("published-");
        var info = new ProcessStartInfo("dotnet", [Path.Combine(folder, "Tracker.Server.dll")])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Tracker__Database__Provider"] = "Postgres";
        info.Environment["ConnectionStrings__Tracker"] = connectionString;
        info.Environment["Tracker__DataDir"] = dataDir;
        info.Environment["Tracker__AdminKey"] = TrackerServer.AdminKey;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                DashboardFixture.Log("[published] " + e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                DashboardFixture.Log("[published] " + e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PublishedServer(process, new Uri($"http://127.0.0.1:{port}/"), dataDir);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(200))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The published server exited with {process.ExitCode}.");
            try
            {
                if ((await http.GetAsync(new Uri("readyz", UriKind.Relative))).IsSuccessStatusCode)
                    return server;
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromSeconds(60)) { }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException) { }
    }
}
