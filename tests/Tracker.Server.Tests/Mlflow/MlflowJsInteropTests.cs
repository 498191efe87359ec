using System.Diagnostics;
using System.Text.Json;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Mlflow;

/// <summary>A real, third-party MLflow client (npm <c>mlflow</c>, Yuhsak/mlflow) drives the server: experiment, run,
/// params, log-batch, log-metric, history, search, update — and the result is a normal Tracker run.</summary>
public sealed class MlflowJsInteropTests
{
    [Fact]
    public async Task The_npm_mlflow_client_logs_a_run_that_Tracker_serves_natively()
    {
        var dir = Path.Combine(RepoRoot(), "tests", "interop", "mlflow-js");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "mlflow")))
        {
            await RunAsync("npm", "ci --no-audit --no-fund", dir, []);
        }
        await using var server = TrackerServer.Start(StoreKind.Postgres);
        var output = await RunAsync(
            "node",
            "interop.js",
            dir,
            new() { ["TRACKER_URL"] = server.BaseAddress.ToString(), ["TRACKER_API_KEY"] = TrackerServer.AdminKey }
        );
        // The client library prints its own notes to stdout; our script's result is the last line.
        using var seen = JsonDocument.Parse(output);
        var root = seen.RootElement;
        var runId = root.GetProperty("run_id").GetString()!;
        Assert.Equal(51, root.GetProperty("history").GetInt32());
        Assert.Equal(0.01, root.GetProperty("last").GetDouble());
        Assert.Equal([runId], root.GetProperty("found").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("FINISHED", root.GetProperty("status").GetString());

        var client = server.CreateClient();
        var run = await client.GetRunAsync(runId);
        Assert.Equal("mlflow-js", run.Name);
        Assert.Equal(RunState.Finished, run.State);
        Assert.Equal("0.01", run.Config!.Value.GetProperty("lr").GetString());
        Assert.Equal("64", run.Config!.Value.GetProperty("batch_size").GetString());
        Assert.Equal(51, run.Summary["loss"].Count);
        Assert.Equal(0.01, run.Summary["loss"].Last);
    }

    private static async Task<string> RunAsync(string file, string args, string dir, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in env)
            psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{file} {args} failed: {await stderr} {await stdout}");
        return (await stdout).Trim().Split('\n')[^1];
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Tracker.sln")))
                return d.FullName;
        }
        throw new DirectoryNotFoundException("Tracker.sln not found above " + AppContext.BaseDirectory);
    }
}
