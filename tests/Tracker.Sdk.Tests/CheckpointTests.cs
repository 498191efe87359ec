using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Tracker.Cli;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Sdk.Tests;

/// <summary><c>TrackerRun.SaveCheckpointAsync</c>: spooled at once, uploaded in the background, through an outage and a
/// crash of the training process; and <c>tracker artifacts</c>.</summary>
public sealed class CheckpointTests
{
    private static readonly Uri Nowhere = new("http://127.0.0.1:9/");

    [Fact]
    public async Task A_checkpoint_saved_while_the_server_dies_mid_upload_arrives_whole_once_it_is_back()
    {
        await using var server = TrackerServer.Start(StoreKind.Sqlite);
        var warnings = new ConcurrentQueue<string>();
        var run = await TrackerRun.StartAsync(
            TestRuns.Options(
                server.BaseAddress,
                TestRuns.TempDir(),
                warnings,
                flushTimeout: TimeSpan.FromMinutes(2),
                config: JsonDocument.Parse("""{"tracker.checkpoints": {"keep_best": 1, "keep_last": 1}}""").RootElement
            )
        );
        var big = new byte[40_000_000];
        new Random(5).NextBytes(big);
        var watch = Stopwatch.StartNew();
        var path = await run.SaveCheckpointAsync(1, new MemoryStream(big));
        var saveTime = watch.Elapsed;
        await Task.Delay(100); // the upload is under way
        await server.StopAsync();
        // Nothing partial is visible on the stopped server's data: no blob without its row, no staging file left.
        var staging = Path.Combine(server.DataDir, "artifacts", ".staging");
        Assert.Empty(Directory.Exists(staging) ? Directory.GetFiles(staging) : []);
        await Task.Delay(500); // the SDK sees the outage and retries
        server.StartAgain();
        run.Log(1, ("val_loss", 0.5));
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (run.PendingArtifacts > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        var restore = Path.Combine(TestRuns.TempDir(), "best.ckpt");
        ArtifactDto? best = null;
        while (best is null && DateTime.UtcNow < deadline)
        {
            best = await run.DownloadBestCheckpointAsync(restore); // null until val_loss of step 1 is stored
            if (best is null)
                await Task.Delay(100);
        }
        await run.FinishAsync();

        var client = server.CreateClient();
        var list = await client.ListArtifactsAsync(run.Id);
        var stored = Assert.Single(list.Artifacts);
        Assert.Equal((path, 40_000_000L, Convert.ToHexStringLower(SHA256.HashData(big))), (stored.Path, stored.Size, stored.Sha256));
        Assert.Equal(0, run.PendingArtifacts);
        Assert.True(saveTime < TimeSpan.FromSeconds(10), $"saving took {saveTime}");
        Assert.Equal(path, best?.Path);
        Assert.Equal(big, await File.ReadAllBytesAsync(restore));
    }

    [Fact]
    public async Task Checkpoints_spooled_by_a_process_that_never_reached_the_server_upload_when_the_run_resumes()
    {
        await using var server = TrackerServer.Start(StoreKind.Sqlite);
        var spool = TestRuns.TempDir();
        var id = "ckpt-resume-" + Guid.NewGuid().ToString("N")[..8];
        var offline = await TrackerRun.StartAsync(TestRuns.Options(Nowhere, spool, id: id, resume: ResumeMode.Allow, flushTimeout: TimeSpan.FromSeconds(1)));
        await offline.SaveCheckpointAsync(3, new MemoryStream([1, 2, 3]));
        await offline.SaveCheckpointAsync(4, new MemoryStream([4, 5, 6]), name: "checkpoints/last.pt");
        await offline.FinishAsync(); // the uploads fail; the copies stay in the spool

        var resumed = await TrackerRun.StartAsync(TestRuns.Options(server.BaseAddress, spool, id: id, resume: ResumeMode.Allow));
        await resumed.FinishAsync();
        var list = await server.CreateClient().ListArtifactsAsync(id);
        Assert.Equal(["checkpoints/last.pt", "checkpoints/step-00000003.ckpt"], list.Artifacts.Select(a => a.Path));
        Assert.False(Directory.Exists(Path.Combine(spool, id + ".artifacts")));
    }

    [Fact]
    public async Task The_cli_puts_lists_and_gets_artifacts()
    {
        await using var server = TrackerServer.Start(StoreKind.Sqlite);
        var run = await server.CreateClient().CreateRunAsync("cli-artifacts", new CreateRunRequest());
        var dir = TestRuns.TempDir();
        var local = Path.Combine(dir, "model.onnx");
        await File.WriteAllBytesAsync(local, [7, 7, 7, 7]);
        string[] connection = ["--url", server.BaseAddress.ToString(), "--api-key", TrackerServer.AdminKey, "--home", dir];

        var (code, output) = await RunCliAsync(["artifacts", "put", run.Id, local, "--path", "export/model.onnx", "--step", "9", .. connection]);
        Assert.True(code == 0, output);
        (code, output) = await RunCliAsync(["artifacts", "list", run.Id, .. connection]);
        Assert.True(code == 0, output);
        Assert.Contains("export/model.onnx", output, StringComparison.Ordinal);
        var target = Path.Combine(dir, "back.onnx");
        (code, output) = await RunCliAsync(["artifacts", "get", run.Id, "export/model.onnx", "-o", target, .. connection]);
        Assert.True(code == 0, output);
        Assert.Equal([7, 7, 7, 7], await File.ReadAllBytesAsync(target));
    }

    private static async Task<(int Code, string Output)> RunCliAsync(string[] args)
    {
        var output = new StringWriter();
        var code = await TrackerCommands
            .Create(output)
            .Parse(args)
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output });
        return (code, output.ToString());
    }
}
