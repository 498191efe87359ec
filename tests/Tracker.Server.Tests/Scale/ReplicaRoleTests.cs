using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.Server.Experiments;
using Tracker.Server.Hosting;
using Tracker.Server.Runs;
using Tracker.Server.Storage;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Scale;

/// <summary>Several replicas on one PostgreSQL database: roles, start-up under the deployment lock, the crash sweeper.</summary>
public sealed class ReplicaRoleTests
{
    [Fact]
    public async Task Replicas_starting_together_on_a_new_database_all_start_and_seed_one_admin_key()
    {
        var fresh = PostgresCluster.Instance.CreateDatabase();
        var starts = Enumerable
            .Range(0, 3)
            .Select(_ => Task.Run(() => TrackerServer.Start(StoreKind.Postgres, new Dictionary<string, string?> { ["ConnectionStrings:Tracker"] = fresh })))
            .ToArray();
        var replicas = await Task.WhenAll(starts);
        try
        {
            foreach (var replica in replicas)
                Assert.Equal(HttpStatusCode.OK, (await replica.CreateHttpClient().GetAsync("api/v1/projects")).StatusCode);
            await using var scope = replicas[0].Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
            Assert.Equal(1, await db.ApiKeys.CountAsync());
            var applied = await db.Database.GetAppliedMigrationsAsync();
            Assert.Equal(applied.Count(), applied.Distinct().Count());
        }
        finally
        {
            foreach (var replica in replicas)
                await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_replica_waits_for_the_deployment_lock_before_it_migrates()
    {
        var connectionString = PostgresCluster.Instance.CreateDatabase();
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({DeploymentLock.Key})", holder))
            await take.ExecuteNonQueryAsync();

        var start = Task.Run(() =>
            TrackerServer.Start(StoreKind.Postgres, new Dictionary<string, string?> { ["ConnectionStrings:Tracker"] = connectionString })
        );
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(start.IsCompleted, "the server started while another replica held the deployment lock");

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DeploymentLock.Key})", holder))
            await release.ExecuteNonQueryAsync();
        await using var server = await start.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await server.CreateHttpClient().GetAsync("api/v1/projects")).StatusCode);
    }

    [Fact]
    public async Task An_api_replica_never_runs_experiments_and_a_worker_replica_runs_them_and_serves_only_health()
    {
        await using var api = TrackerServer.Start(StoreKind.Postgres, new Dictionary<string, string?> { ["Tracker:Roles"] = "api" });
        Assert.DoesNotContain(api.Services.GetServices<IHostedService>(), s => s is ExperimentWorker);
        var client = api.CreateClient();
        var launched = await client.LaunchExperimentAsync(
            "roles",
            JsonNode.Parse("""{"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": 0.1, "condition_number": 10}, "steps": 30}""")!.AsObject()
        );
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal("queued", (await client.GetExperimentAsync(launched.RunId)).State);

        await using var worker = api.StartReplica(new Dictionary<string, string?> { ["Tracker:Roles"] = "worker" });
        Assert.Contains(worker.Services.GetServices<IHostedService>(), s => s is ExperimentWorker);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        ExperimentJobDto job;
        while ((job = await client.GetExperimentAsync(launched.RunId)).State is "queued" or "running")
        {
            Assert.True(DateTime.UtcNow < deadline, $"experiment still {job.State}");
            await Task.Delay(100);
        }
        Assert.Equal("succeeded", job.State);
        Assert.Equal(31, (await client.GetHistoryAsync(launched.RunId, "loss")).Count);

        using var http = worker.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/v1/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync($"api/v1/runs/{launched.RunId}/metrics", new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("hubs/runs/negotiate?negotiateVersion=1", null)).StatusCode);
    }

    [Fact]
    public async Task Two_replicas_sweeping_at_once_mark_a_stale_run_crashed_with_one_event()
    {
        var settings = new Dictionary<string, string?> { ["Tracker:Runs:SweepInterval"] = "01:00:00" };
        await using var a = TrackerServer.Start(StoreKind.Postgres, settings);
        await using var b = a.StartReplica();
        var run = await a.CreateClient().CreateRunAsync("sweep", new CreateRunRequest());
        for (var round = 0; round < 5; round++)
        {
            await using (var scope = a.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
                await db
                    .Runs.Where(r => r.Id == run.Id)
                    .ExecuteUpdateAsync(s =>
                        s.SetProperty(r => r.HeartbeatMs, 0L).SetProperty(r => r.State, RunState.Running).SetProperty(r => r.EndedMs, (long?)null)
                    );
            }
            var marked = await Task.WhenAll(
                a.Services.GetRequiredService<CrashedRunSweeper>().SweepOnceAsync(CancellationToken.None),
                b.Services.GetRequiredService<CrashedRunSweeper>().SweepOnceAsync(CancellationToken.None)
            );
            Assert.Equal(1, marked.Sum());
        }
        await using var check = a.Services.CreateAsyncScope();
        var events = await check
            .ServiceProvider.GetRequiredService<TrackerDbContext>()
            .Events.CountAsync(e => e.RunId == run.Id && e.Kind == "state" && e.ToValue == "crashed");
        Assert.Equal(5, events);
        Assert.Equal(RunState.Crashed, (await a.CreateClient().GetRunAsync(run.Id)).State);
    }
}
