using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Tracker.Sdk.Contracts;
using Tracker.Server.Tests.Api;
using Tracker.TestSupport;
using Xunit.Abstractions;

namespace Tracker.Server.Tests.Reliability;

/// <summary>100,000 unauthenticated requests (no key, or a made-up one each time) over many connections to a real Kestrel
/// server on 127.0.0.1, while an authenticated client keeps ingesting: no 5xx, every authenticated batch stored, and
/// the process's working set stays flat (the key cache and the rate limiter's partitions are bounded).</summary>
[Collection(nameof(FuzzCollection))]
[Trait("Store", "Sqlite")]
[Trait("Category", "Reliability")]
public sealed class UnauthenticatedFloodTests(ITestOutputHelper output)
{
    private const int Requests = 100_000;
    private const int Connections = 64;

    [Fact]
    public async Task A_flood_of_unauthenticated_requests_leaves_memory_flat_and_keyed_ingest_served()
    {
        await using var server = TrackerServer.Start(StoreKind.Sqlite);
        var admin = server.CreateClient();
        var run = await admin.CreateRunAsync("flood", new CreateRunRequest());
        await admin.LogMetricsAsync(run.Id, Points.Batch(0, new MetricPointInput("loss", 0, 1)));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var start = process.WorkingSet64;
        var peak = start;

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections, PooledConnectionLifetime = TimeSpan.FromSeconds(5) };
        using var flood = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var statuses = new int[600];
        var next = -1;
        using var done = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(200, CancellationToken.None);
            }
        });
        long stored = 0,
            refused = 0;
        var ingest = Task.Run(async () =>
        {
            for (var seq = 1L; !done.IsCancellationRequested; seq++)
            {
                try
                {
                    var points = Enumerable.Range(0, 100).Select(i => new MetricPointInput("loss", (seq * 100) + i, 1.0 / (i + 1))).ToArray();
                    var response = await admin.LogMetricsAsync(run.Id, Points.Batch(seq, points));
                    if (response.Accepted == 100)
                        stored++;
                }
                catch (Exception) when (!done.IsCancellationRequested)
                {
                    refused++;
                }
                await Task.Delay(50, CancellationToken.None);
            }
        });
        var workers = Enumerable
            .Range(0, Connections)
            .Select(_ =>
                Task.Run(async () =>
                {
                    while (Interlocked.Increment(ref next) < Requests)
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/projects");
                        if (next % 2 == 1)
                            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"trk_made{next}_up{Guid.NewGuid():N}");
                        using var response = await flood.SendAsync(request);
                        Interlocked.Increment(ref statuses[(int)response.StatusCode]);
                    }
                })
            )
            .ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(8));
        var floodTime = clock.Elapsed;
        await Task.Delay(1000);
        await done.CancelAsync();
        await ingest;
        await sampler;

        var byStatus = string.Join(", ", statuses.Select((n, s) => (n, s)).Where(x => x.n > 0).Select(x => $"{x.s}: {x.n}"));
        output.WriteLine(
            $"flood: {Requests} requests over {Connections} connections in {floodTime.TotalSeconds:F1} s ({Requests / floodTime.TotalSeconds:F0}/s); {byStatus}"
        );
        output.WriteLine($"authenticated: {stored} batches stored, {refused} refused; working set start {start / 1048576} MiB, peak {peak / 1048576} MiB");
        Assert.Equal(Requests, statuses.Sum());
        Assert.Equal(0, statuses.Skip(500).Sum());
        Assert.Equal(0, statuses[200]);
        Assert.Equal(0, refused);
        Assert.True(stored >= 10, $"only {stored} authenticated batches were served during the flood");
        Assert.True(peak - start < 256L * 1024 * 1024, $"working set grew from {start / 1048576} MiB to {peak / 1048576} MiB");
        Assert.Equal(1 + (100 * stored), (await admin.ListSeriesAsync(run.Id)).Series.Single().Summary.Count);
    }
}
