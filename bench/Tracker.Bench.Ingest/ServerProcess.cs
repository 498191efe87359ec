using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tracker.Bench.Ingest;

/// <summary>The Release build of Tracker.Server as a child process, so that its memory is measured alone.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public long WorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>CPU time the server process has used so far (all threads, user and kernel).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the server on <paramref name="connectionString"/> of <paramref name="provider"/> (Postgres or Sqlite),
    /// with <paramref name="settings"/> added to its environment (e.g. <c>Tracker__RateLimits__Enabled=false</c>).</summary>
    public static async Task<ServerProcess> StartAsync(
        string connectionString,
        string adminKey,
        bool analysis = true,
        string provider = "Postgres",
        IReadOnlyDictionary<string, string>? settings = null
    )
    {
        var root = RepoRoot();
        var dll = Path.Combine(root, "src/Tracker.Server/bin/Release/net10.0/Tracker.Server.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"Build the server first: dotnet build -c Release src/Tracker.Server ({dll} is missing).");
        }
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Tracker__Database__Provider"] = provider;
        psi.Environment["ConnectionStrings__Tracker"] = connectionString;
        psi.Environment["Tracker__AdminKey"] = adminKey;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Tracker__Analysis__Enabled"] = analysis ? "true" : "false";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
            psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                Console.Error.WriteLine("server: " + e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        for (var i = 0; i < 1200; i++)
        {
            try
            {
                if ((await http.GetAsync("readyz")).IsSuccessStatusCode)
                    return server;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("The server did not become ready in 120 s.");
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tracker.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Tracker.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
