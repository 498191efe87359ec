using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk.Client;
using Tracker.Server.Experiments;
using Tracker.Server.Ingest;
using Tracker.Server.Storage;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Experiments;

/// <summary>Leases are fenced: a worker that lost its lease writes nothing more, and the job is still stored once.</summary>
public abstract class ExperimentLeaseTests(StoreKind kind)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Tracker:Experiments:Lease"] = "00:00:03",
        ["Tracker:Experiments:MaxAttempts"] = "5",
        ["Tracker:Experiments:Concurrency"] = "1",
    };

    private static async Task<long> LossCountAsync(TrackerClient client, string runId) =>
        (await client.GetRunAsync(runId)).Summary.TryGetValue("loss", out var s) ? s.Count : 0;

    private static async Task<int> UpdateJobAsync(TrackerServer server, string runId, Func<IQueryable<Storage.Entities.ExperimentJobEntity>, Task<int>> update)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        return await update(db.ExperimentJobs.Where(j => j.RunId == runId));
    }

    [Fact]
    public async Task A_worker_that_lost_its_lease_writes_nothing_more_and_the_job_is_stored_once()
    {
        await using var server = TrackerServer.Start(kind, Settings);
        var client = server.CreateClient();
        const int steps = 150_000;
        var launched = await client.LaunchExperimentAsync(
            "fenced",
            JsonNode
                .Parse(
                    $$"""
                    {"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": 0.01, "dimension": 8}, "steps": {{steps}}}
                    """
                )!
                .AsObject()
        );
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await LossCountAsync(client, launched.RunId) < 1000 && DateTime.UtcNow < deadline)
            await Task.Delay(50);

        // Another worker takes the job over (as a replica that judged the lease expired would): a new owner and attempt.
        var far = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        Assert.Equal(
            1,
            await UpdateJobAsync(server, launched.RunId, q =>
                q.Where(j => j.State == ExperimentJobState.Running)
                    .ExecuteUpdateAsync(s =>
                        s.SetProperty(j => j.LeaseOwner, "another-worker")
                            .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                            .SetProperty(j => j.LeaseUntilMs, far)
                    )
            )
        );
        await Task.Delay(1500); // a renewal interval and an in-flight batch
        var afterLoss = await LossCountAsync(client, launched.RunId);
        Assert.True(afterLoss < steps + 1, "the experiment finished before its lease was taken; make it longer");
        await Task.Delay(2000);
        Assert.Equal(afterLoss, await LossCountAsync(client, launched.RunId));
        var job = await client.GetExperimentAsync(launched.RunId);
        Assert.Equal("running", job.State); // the stale worker did not complete the job either

        // The new owner vanishes: its lease expires, the job restarts here and is stored exactly once.
        await UpdateJobAsync(server, launched.RunId, q => q.ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntilMs, 0L)));
        deadline = DateTime.UtcNow.AddSeconds(120);
        while ((job = await client.GetExperimentAsync(launched.RunId)).State is "running" or "queued" && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.True(job.State == "succeeded", $"{job.State}: {job.Error}");
        Assert.Equal(3, job.Attempts);
        var loss = (await client.GetRunAsync(launched.RunId)).Summary["loss"];
        Assert.Equal(steps + 1, loss.Count);
        Assert.Equal(steps, loss.LastStep);
    }

    [Fact]
    public async Task A_batch_carrying_a_stale_lease_token_is_refused()
    {
        await using var server = TrackerServer.Start(kind, Settings);
        var client = server.CreateClient();
        var launched = await client.LaunchExperimentAsync(
            "fenced",
            JsonNode
                .Parse(
                    """
                    {"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": 0.001, "dimension": 2000}, "steps": 1000000}
                    """
                )!
                .AsObject()
        );
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await client.GetExperimentAsync(launched.RunId)).State == "queued" && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var jobId = await db.ExperimentJobs.Where(j => j.RunId == launched.RunId).Select(j => j.Id).SingleAsync();

        using var batch = new MetricBatch { Fence = new IngestFence(jobId, "a-worker-that-lost-it", 1), Seq = 1_000_000 };
        batch.Add(batch.InternKey("stale"), 1, 42, 0);
        var result = await scope.ServiceProvider.GetRequiredService<MetricIngestor>().IngestAsync(launched.RunId, batch, 0, CancellationToken.None);
        Assert.Equal(IngestOutcome.Fenced, result.Outcome);
        Assert.DoesNotContain("stale", (await client.GetRunAsync(launched.RunId)).Summary.Keys);
        await client.CancelExperimentAsync(launched.RunId);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresExperimentLeaseTests() : ExperimentLeaseTests(StoreKind.Postgres);

[Trait("Store", "Sqlite")]
public sealed class SqliteExperimentLeaseTests() : ExperimentLeaseTests(StoreKind.Sqlite);
