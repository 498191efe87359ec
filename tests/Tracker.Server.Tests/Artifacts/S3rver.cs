using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tracker.Server.Tests.Artifacts;

/// <summary>npm <c>s3rver</c> 3.7.1 on a free loopback port with its own folder, installed into
/// <c>tests/interop/s3rver</c> on first use; <see cref="Problem"/> says why it could not start (npm unreachable, no node).</summary>
public sealed class S3rver : IAsyncLifetime
{
    private Process? _process;
    private string? _dir;

    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string ServiceUrl { get; private set; } = "";

    /// <summary>Why the server is not available, or null when it runs.</summary>
    public string? Problem { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            var home = Path.Combine(RepoRoot(), "tests", "interop", "s3rver");
            var bin = Path.Combine(home, "node_modules", "s3rver", "bin", "s3rver.js");
            if (!File.Exists(bin))
            {
                var (code, output) = await RunAsync("npm", "install --no-audit --no-fund", home, TimeSpan.FromMinutes(3));
                if (code != 0 || !File.Exists(bin))
                {
                    Problem = $"npm could not install s3rver (exit {code}): {output.Trim()}";
                    return;
                }
            }
            var port = FreePort();
            _dir = Directory.CreateTempSubdirectory("tracker-s3rver-").FullName;
            var psi = new ProcessStartInfo("node", $"\"{bin}\" -d \"{_dir}\" -a 127.0.0.1 -p {port} --silent")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            _process = Process.Start(psi)!;
            ServiceUrl = $"http://127.0.0.1:{port}";
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!await AnswersAsync(port))
            {
                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    Problem = $"s3rver did not start: {await _process.StandardError.ReadToEndAsync()}";
                    return;
                }
                await Task.Delay(100);
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Problem = $"node or npm is not installed: {e.Message}";
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
            _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        if (_dir is not null)
            Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string args, string dir, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (process.ExitCode, await stderr + await stdout);
    }

    internal static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Tracker.sln")))
                return d.FullName;
        }
        throw new InvalidOperationException("Tracker.sln not found above the test binaries.");
    }
}
