using System.Globalization;
using System.Net.Http.Headers;

namespace Tracker.TestSupport;

/// <summary>One server replica as its own process: the build of <c>src/Tracker.Server</c> run with <c>dotnet</c>, on its
/// own loopback port, with the deployment's shared settings and its roles; killed with SIGKILL and started again on the
/// same port.</summary>
public sealed class ServerReplica : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _environment;
    private LoopbackProcess? _process;

    internal ServerReplica(string roles, IReadOnlyDictionary<string, string> environment)
    {
        Roles = roles;
        Port = LoopbackProcess.FreePort();
        _environment = environment;
    }

    /// <summary>A lone replica with every role and no Redis, over <paramref name="kind"/>'s database at
    /// <paramref name="connectionString"/> (for SQLite, a <c>Data Source</c> outside the replica's data directory, which
    /// is new at each start, so that the file outlives a killed process); not started: call <see cref="StartAsync"/>.</summary>
    public static ServerReplica Standalone(StoreKind kind, string connectionString) =>
        new(
            "all",
            new Dictionary<string, string>
            {
                ["Tracker__Database__Provider"] = kind.ToString(),
                ["ConnectionStrings__Tracker"] = connectionString,
                ["Tracker__AdminKey"] = TrackerServer.AdminKey,
                ["Logging__LogLevel__Default"] = "Warning",
            }
        );

    /// <summary>Its <c>Tracker:Roles</c>.</summary>
    public string Roles { get; }

    /// <summary>Its port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Its own address (not through the balancer).</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Its process id (0 before the first start).</summary>
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>Whether its process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The build of the server that the replicas run (the test assembly's configuration).</summary>
    public static string ServerDll
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tracker.sln")))
                dir = dir.Parent;
            if (dir is null)
                throw new InvalidOperationException("Tracker.sln not found above the test assembly");
            var configuration = AppContext.BaseDirectory.Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            var dll = Path.Combine(dir.FullName, "src", "Tracker.Server", "bin", configuration, "net10.0", "Tracker.Server.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build src/Tracker.Server in {configuration}");
        }
    }

    /// <summary>Starts the process (ending the previous one, if it still runs) and waits until <c>/healthz</c> answers.</summary>
    public async Task StartAsync(TimeSpan? within = null)
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
        var environment = new Dictionary<string, string>(_environment)
        {
            ["Tracker__Roles"] = Roles,
            ["Tracker__DataDir"] = TestFolders.Create("replica-"),
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["DOTNET_gcServer"] = "0",
        };
        var dll = ServerDll;
        _process = LoopbackProcess.Start(
            "dotnet",
            [dll, "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}")],
            environment,
            Path.GetDirectoryName(dll)
        );
        await _process.WaitForPortAsync(Port, within ?? TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(90));
        while (!(await TryGetAsync(http, "healthz")))
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
                throw new InvalidOperationException($"replica on {Port} did not become healthy: {_process.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process ends at once, mid-request, without any shutdown.</summary>
    public void Kill() => _process?.Kill();

    /// <summary>What the process wrote (for failure messages).</summary>
    public string Output => _process?.Output ?? "";

    /// <summary>An HTTP client to this replica directly, with <paramref name="apiKey"/>.</summary>
    public HttpClient CreateHttpClient(string? apiKey = TrackerServer.AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
    }

    private static async Task<bool> TryGetAsync(HttpClient http, string path)
    {
        try
        {
            return (await http.GetAsync(path)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
