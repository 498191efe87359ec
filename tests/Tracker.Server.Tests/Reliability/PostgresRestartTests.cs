using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Tracker.Sdk;
using Tracker.Sdk.Contracts;
using Tracker.Server.Tests.Api;
using Tracker.TestSupport;
using Xunit.Abstractions;

namespace Tracker.Server.Tests.Reliability;

/// <summary>PostgreSQL goes down (an immediate shutdown, as a crash) while the SDK logs into a running server and comes
/// back (crash recovery) a couple of seconds later: meanwhile ingest answers 503 with <c>Retry-After</c> as
/// problem+json, never a 500; the SDK waits, retries or spools, and the run ends with every point stored exactly once.
/// The cluster is the test's own and durable (fsync and synchronous commit on), so that what was acknowledged before the
/// shutdown survives it; the shared cluster serves other test classes at the same time.</summary>
[Trait("Store", "Postgres")]
[Trait("Category", "Reliability")]
[Trait("Category", "Slow")]
[Collection(SlowCollection.Name)]
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    private const int Steps = 4_000;

    [Fact]
    public async Task Postgres_restarted_mid_run_answers_503_with_retry_after_and_the_run_stores_every_point_exactly_once()
    {
        using var cluster = PostgresCluster.StartDedicated(durable: true);
        await using var server = TrackerServer.Start(
            StoreKind.Postgres,
            new Dictionary<string, string?> { ["ConnectionStrings:Tracker"] = cluster.CreateDatabase("restart") }
        );
        var admin = server.CreateClient();
        var probe = (await admin.CreateRunAsync("pg-restart-probe", new CreateRunRequest())).Id;
        using var http = server.CreateHttpClient();
        var home = TestFolders.Create("pg-restart-sdk-");
        var warnings = new ConcurrentQueue<string>();
        using var attempts = new IngestAttempts();
        var clock = Stopwatch.StartNew();
        await using var run = await KnownSeries.StartRunAsync(server.BaseAddress, home, attempts, warnings);

        // Before the outage: a third of the steps, at least half of whose points the server has acknowledged.
        var step = 0L;
        for (; step < Steps / 3; step++)
            await KnownSeries.LogPacedAsync(run, step);
        await KnownSeries.WaitUntilAsync(
            () => run.SentPoints >= step * KnownSeries.Keys.Length / 2,
            TimeSpan.FromSeconds(60),
            "the server acknowledged too few points before the outage"
        );
        var acknowledgedAtPause = run.SentPoints;
        var pausedAt = clock.Elapsed;
        var outage = Stopwatch.StartNew();
        await Task.Run(cluster.Pause).WaitAsync(TimeSpan.FromSeconds(90));
        string? problemType;
        TimeSpan? retryAfter;
        try
        {
            // What any client gets while the database is down: 503, Retry-After, problem+json (a run of its own, so that
            // the probe's seq cannot meet one of the SDK's).
            using (var response = await http.PostAsJsonAsync($"api/v1/runs/{probe}/metrics", Points.Batch(1, new MetricPointInput("loss", 0, 1))))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                problemType = response.Content.Headers.ContentType?.MediaType;
                Assert.Equal("application/problem+json", problemType);
                retryAfter = response.Headers.RetryAfter?.Delta;
                Assert.True(retryAfter > TimeSpan.Zero, "503 without a Retry-After delay");
            }
            // The SDK keeps logging through the outage: another quarter of the steps, over at least 1.5 s.
            var resumeAt = step + (Steps / 4);
            for (; step < resumeAt; step++)
                await KnownSeries.LogPacedAsync(run, step);
            var rest = TimeSpan.FromSeconds(1.5) - outage.Elapsed;
            if (rest > TimeSpan.Zero)
                await Task.Delay(rest);
        }
        finally
        {
            await Task.Run(cluster.Resume).WaitAsync(TimeSpan.FromSeconds(90));
            outage.Stop();
        }
        for (; step < Steps; step++)
            await KnownSeries.LogPacedAsync(run, step);
        await run.FinishAsync().WaitAsync(TimeSpan.FromMinutes(4));
        var completed = clock.Elapsed;

        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{Steps * KnownSeries.Keys.Length} points ({KnownSeries.Keys.Length} series x {Steps} steps) in batches of at most 300; "
                    + $"PostgreSQL stopped at {pausedAt.TotalSeconds:F1} s with {acknowledgedAtPause} points acknowledged; "
                    + $"outage (stop to recovered) {outage.Elapsed.TotalSeconds:F1} s; probe answered 503, {problemType}, Retry-After {retryAfter?.TotalSeconds} s; "
                    + $"run complete after {completed.TotalSeconds:F1} s"
            )
        );
        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"SDK ingest POSTs: {attempts.Attempts} sent, {attempts.Stored} stored, {attempts.Failed} failed ({attempts.Unavailable} answered 503, "
                    + $"{attempts.ServerErrors} another 5xx, the rest without an answer), {attempts.Duplicates} acknowledged as duplicates, "
                    + $"{attempts.Resent} re-sent in all"
            )
        );
        foreach (var warning in warnings)
            output.WriteLine($"SDK: {warning}");

        await KnownSeries.AssertStoredOnceAsync(admin, run.Id, Steps);
        Assert.Equal(RunState.Finished, (await admin.GetRunAsync(run.Id)).State);
        Assert.True(attempts.Unavailable > 0, "no SDK ingest request was answered 503 during the outage");
        Assert.Equal(0, attempts.ServerErrors);
        Assert.False(File.Exists(run.SpoolPath), "the spool outlived a run whose points were all sent");
    }
}
