using System.Diagnostics;
using System.Globalization;
using Tracker.Sdk.Contracts;
using Tracker.Server.Tests.Api;
using Tracker.TestSupport;
using Xunit.Abstractions;

namespace Tracker.Server.Tests.Scale;

/// <summary>Opt-in measurement for docs/scaling.md (<c>TRACKER_SCALE_BENCH=1</c>): ingest through nginx with 1, 2 and 3
/// API replicas as processes — points per second and the replicas' CPU per point (from <c>/proc/PID/stat</c>).</summary>
public sealed class ScaledIngestBench(ITestOutputHelper output)
{
    private const int Writers = 4;
    private const int PointsPerBatch = 1000;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(8);

    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of the line (11 and 12 after the command name), in clock ticks (100 Hz).
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Ingest_through_nginx(int apiReplicas)
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("TRACKER_SCALE_BENCH") == "1", "set TRACKER_SCALE_BENCH=1 to measure");
        await using var deployment = await ReplicaDeployment.StartAsync([.. Enumerable.Repeat("api", apiReplicas)]);
        var client = deployment.CreateClient();
        var runs = new List<string>();
        for (var i = 0; i < Writers; i++)
            runs.Add((await client.CreateRunAsync("bench", new CreateRunRequest())).Id);
        // Warm-up: every replica JIT-compiles the ingest path before the clock starts.
        for (var w = 0; w < Writers * apiReplicas; w++)
            await client.LogMetricsAsync(runs[w % Writers], Points.Batch(1_000_000 + w, Points.Series("warm", w, 10, s => s)));

        var cpuBefore = deployment.Replicas.Sum(r => CpuSeconds(r.ProcessId));
        var clock = Stopwatch.StartNew();
        var totals = await Task.WhenAll(
            runs.Select(async runId =>
            {
                long points = 0;
                var seq = 0L;
                while (clock.Elapsed < Duration)
                {
                    seq++;
                    var response = await client.LogMetricsAsync(
                        runId,
                        Points.Batch(seq, Points.Series("loss", (seq - 1) * PointsPerBatch, PointsPerBatch, s => 1.0 / (s + 1)))
                    );
                    points += response.Accepted;
                }
                return points;
            })
        );
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = deployment.Replicas.Sum(r => CpuSeconds(r.ProcessId)) - cpuBefore;
        var total = totals.Sum();
        output.WriteLine(
            $"api replicas {apiReplicas}: {total / seconds:F0} points/s ({total} points in {seconds:F1} s, {Writers} writers, {PointsPerBatch}-point batches); replicas' CPU {cpu:F1} s = {cpu / total * 1e6:F1} us/point; load {File.ReadAllText("/proc/loadavg").Trim()}"
        );
        Assert.True(total > 0);
    }
}
