using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Tracker.Sdk;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;
using Xunit.Abstractions;

namespace Tracker.Server.Tests.Reliability;

/// <summary>The server process is killed (SIGKILL) while the SDK logs, with an ingest request in flight when one is, and
/// started again on the same port about 1.5 s later: the SDK retries or spools what was not acknowledged, replays it, and
/// the run ends with every point stored exactly once (a batch stored just before the kill, whose acknowledgement was
/// lost, is taken as a duplicate by its <c>seq</c>). On both stores: a SQLite file and a PostgreSQL database.</summary>
[Trait("Category", "Reliability")]
[Trait("Category", "Slow")]
[Collection(SlowCollection.Name)]
public sealed class ServerKillTests(ITestOutputHelper output)
{
    private const int Steps = 4_000;

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Server_killed_mid_ingest_and_restarted_stores_every_point_exactly_once(StoreKind kind)
    {
        var connectionString =
            kind == StoreKind.Postgres
                ? PostgresCluster.Instance.CreateDatabase("kill")
                : string.Create(CultureInfo.InvariantCulture, $"Data Source={Path.Combine(TestFolders.Create("kill-"), "tracker.db")}");
        await using var replica = ServerReplica.Standalone(kind, connectionString);
        await replica.StartAsync(TimeSpan.FromSeconds(120));
        var home = TestFolders.Create("kill-sdk-");
        var warnings = new ConcurrentQueue<string>();
        using var attempts = new IngestAttempts();
        var clock = Stopwatch.StartNew();
        await using var run = await KnownSeries.StartRunAsync(replica.BaseAddress, home, attempts, warnings);

        // Before the kill: a third of the steps, at least half of whose points the server has acknowledged.
        var step = 0L;
        for (; step < Steps / 3; step++)
            await KnownSeries.LogPacedAsync(run, step);
        await KnownSeries.WaitUntilAsync(
            () => run.SentPoints >= step * KnownSeries.Keys.Length / 2,
            TimeSpan.FromSeconds(60),
            "the server acknowledged too few points before the kill"
        );
        // The kill: at the first step at which an ingest request is in flight (or after another sixth of the steps).
        for (; step < Steps / 2 && attempts.InFlight == 0; step++)
            await KnownSeries.LogPacedAsync(run, step);
        var inFlightAtKill = attempts.InFlight;
        var acknowledgedAtKill = run.SentPoints;
        var killedAt = clock.Elapsed;
        replica.Kill();
        var outage = Stopwatch.StartNew();
        var restart = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await replica.StartAsync(TimeSpan.FromSeconds(120));
            outage.Stop();
        });
        // During the outage: another quarter of the steps; then the rest once the server is back.
        var resumeAt = step + (Steps / 4);
        for (; step < resumeAt; step++)
            await KnownSeries.LogPacedAsync(run, step);
        await restart.WaitAsync(TimeSpan.FromSeconds(150));
        for (; step < Steps; step++)
            await KnownSeries.LogPacedAsync(run, step);
        await run.FinishAsync().WaitAsync(TimeSpan.FromMinutes(4));
        var completed = clock.Elapsed;

        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{kind}: {Steps * KnownSeries.Keys.Length} points ({KnownSeries.Keys.Length} series x {Steps} steps) in batches of at most 300; "
                    + $"killed at {killedAt.TotalSeconds:F1} s with {inFlightAtKill} ingest request(s) in flight and {acknowledgedAtKill} points acknowledged; "
                    + $"outage (kill to healthy again) {outage.Elapsed.TotalSeconds:F1} s; run complete after {completed.TotalSeconds:F1} s"
            )
        );
        output.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"ingest POSTs: {attempts.Attempts} sent, {attempts.Stored} stored, {attempts.Failed} failed (no answer or 5xx), "
                    + $"{attempts.Duplicates} acknowledged as duplicates, {attempts.Resent} re-sent in all; the SDK counts {run.SentPoints} points acknowledged as stored by its requests"
            )
        );
        foreach (var warning in warnings)
            output.WriteLine($"SDK: {warning}");

        var client = new TrackerClient(replica.CreateHttpClient());
        await KnownSeries.AssertStoredOnceAsync(client, run.Id, Steps);
        Assert.Equal(RunState.Finished, (await client.GetRunAsync(run.Id)).State);
        Assert.True(attempts.Failed > 0, "no ingest request failed: the kill did not interrupt ingest");
        Assert.False(File.Exists(run.SpoolPath), "the spool outlived a run whose points were all sent");
    }
}
