using System.CommandLine;
using Tracker.Cli;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Sdk.Tests;

/// <summary>The <c>tracker</c> commands, invoked in-process.</summary>
[Collection(SdkServerCollection.Name)]
public sealed class CliTests(SdkServerFixture fixture)
{
    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var code = await TrackerCommands.Create(output).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (code, output.ToString());
    }

    [Fact]
    public async Task Login_stores_url_and_key_and_sync_uploads_offline_runs()
    {
        var home = TestRuns.TempDir();
        var url = fixture.Server.BaseAddress.ToString();
        var (code, output) = await RunAsync("login", "--url", url, "--api-key", TrackerServer.AdminKey, "--home", home);
        Assert.True(code == 0, output);
        var config = TrackerConfig.Load(home);
        Assert.Equal(url, config.Url);
        Assert.Equal(TrackerServer.AdminKey, config.ApiKey);

        string runId;
        await using (
            var run = await TrackerRun.StartAsync(
                new RunOptions
                {
                    Project = "cli",
                    Mode = TrackerMode.Offline,
                    TrackerHome = home,
                    OnWarning = _ => { },
                }
            )
        )
        {
            runId = run.Id;
            for (var step = 0; step < 300; step++)
                run.Log(step, ("loss", step));
        }
        (code, output) = await RunAsync("sync", "--home", home);
        Assert.True(code == 0, output);
        Assert.Contains($"{runId} (cli): 300 points", output, StringComparison.Ordinal);
        await TestRuns.AssertSeriesAsync(fixture.Server.CreateClient(), runId, "loss", 300);

        (code, output) = await RunAsync("runs", "show", runId, "--home", home);
        Assert.True(code == 0, output);
        Assert.Contains("finished", output, StringComparison.Ordinal);
        (code, output) = await RunAsync("runs", "list", "cli", "--home", home);
        Assert.Contains(runId, output, StringComparison.Ordinal);
        var csv = Path.Combine(home, "export.csv");
        (code, output) = await RunAsync("runs", "export", runId, "-o", csv, "--home", home);
        Assert.True(code == 0, output);
        Assert.Equal(301, File.ReadAllLines(csv).Length);
        Assert.Equal(RunState.Finished, (await fixture.Server.CreateClient().GetRunAsync(runId)).State);
    }
}
