using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Experiments;

/// <summary>Hosted reference experiments run as normal runs through the ingest path, durably queued.</summary>
public abstract class HostedExperimentTests(StoreKind kind)
{
    private static async Task<ExperimentJobDto> WaitForEndAsync(TrackerClient client, string runId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await client.GetExperimentAsync(runId);
            if (job.State is "succeeded" or "failed" or "cancelled")
                return job;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"experiment {runId} still {job.State}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_experiment_runs_as_a_run_and_logs_the_objective_from_the_start_point()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        var catalog = await client.GetExperimentCatalogAsync();
        Assert.Contains(catalog.Solvers, s => s.Name == "adam");
        Assert.Contains(catalog.Problems, p => p.Name == "rosenbrock");

        var launched = await client.LaunchExperimentAsync(
            "reference",
            JsonNode
                .Parse(
                    """
                    {"solver": "adam", "problem": "rosenbrock", "hyperparameters": {"lr": 0.01}, "steps": 150, "seed": 0}
                    """
                )!
                .AsObject()
        );
        var job = await WaitForEndAsync(client, launched.RunId);
        Assert.Equal("succeeded", job.State);

        var run = await client.GetRunAsync(launched.RunId);
        Assert.Equal(RunState.Finished, run.State);
        Assert.Equal("adam", run.Config!.Value.GetProperty("solver").GetString());
        Assert.Contains("experiment", run.Tags);
        var loss = await client.GetHistoryAsync(run.Id, "loss");
        Assert.Equal(151, loss.Count);
        // Rosenbrock at (−1.2, 1): (1 + 1.2)² + 100 (1 − 1.44)² = 24.2.
        Assert.Equal(24.2, loss.Points[0].Value, 10);
        Assert.True(loss.Points[^1].Value < loss.Points[0].Value);
        Assert.Contains("lr", run.Summary.Keys);
        Assert.Contains("grad_norm/total", run.Summary.Keys);
    }

    [Fact]
    public async Task A_list_of_values_launches_a_sweep_in_one_group()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        var launched = await client.LaunchExperimentAsync(
            "sweeps",
            JsonNode
                .Parse(
                    """
                    {"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": [0.01, 0.1, 0.18], "condition_number": 10}, "steps": 30}
                    """
                )!
                .AsObject()
        );
        Assert.Equal(3, launched.RunIds.Count);
        Assert.NotNull(launched.Group);
        foreach (var id in launched.RunIds)
            Assert.Equal("succeeded", (await WaitForEndAsync(client, id)).State);
        var runs = await client.ListRunsAsync("sweeps", new RunQuery(Group: launched.Group, Sort: "summary.loss", Descending: false));
        Assert.Equal(3, runs.Runs.Count);
        // On ½Σλx² a larger stable step converges faster: lr 0.18 ends lowest.
        Assert.Equal(0.18, runs.Runs[0].Config!.Value.GetProperty("hyperparameters").GetProperty("lr").GetDouble());
        Assert.Contains("lr=0.18", runs.Runs[0].Name, StringComparison.Ordinal);

        var seeded = await client.LaunchExperimentAsync(
            "sweeps",
            JsonNode
                .Parse(
                    """
                    {"preset": "lr-just-right", "seed": [1, 2], "steps": 5}
                    """
                )!
                .AsObject()
        );
        Assert.Equal(2, seeded.RunIds.Count);
        Assert.Equal(
            [1, 2],
            (await Task.WhenAll(seeded.RunIds.Select(id => client.GetRunAsync(id)))).Select(r => r.Config!.Value.GetProperty("seed").GetInt32())
        );
    }

    [Fact]
    public async Task An_invalid_experiment_names_the_field()
    {
        await using var server = TrackerServer.Start(kind);
        using var http = server.CreateHttpClient();
        using var response = await http.PostAsJsonAsync(
            "api/v1/projects/bad/experiments",
            JsonNode.Parse("""{"solver": "adam", "problem": "rosenbrock", "hyperparameters": {"lr": -1}}""")
        );
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("hyperparameters.lr", out _), problem.ToString());
        using var unknown = await http.PostAsJsonAsync("api/v1/projects/bad/experiments", JsonNode.Parse("""{"solver": "magic", "problem": "rosenbrock"}"""));
        Assert.True(unknown.StatusCode == HttpStatusCode.BadRequest, await unknown.Content.ReadAsStringAsync());
        Assert.Empty((await server.CreateClient().ListProjectsAsync()).Projects.Where(p => p.Name == "bad").SelectMany(p => Enumerable.Repeat(p, p.RunCount)));
    }

    [Fact]
    public async Task A_finished_experiment_keeps_its_best_parameters_as_a_checkpoint()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        // Gradient descent with a step just over 2/L on ½Σλᵢxᵢ² (λ from 1 to 100, x₀ = 1): the top eigen-direction grows
        // by 1.01 per step while the others shrink, so the loss falls, then rises: the best step is neither the first nor the last.
        var launched = await client.LaunchExperimentAsync(
            "checkpoints",
            JsonNode
                .Parse(
                    """
                    {"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": 0.0201, "dimension": 8, "condition_number": 100}, "steps": 200,
                     "tracker.analysis": {"monitor": "loss", "mode": "min"}}
                    """
                )!
                .AsObject()
        );
        var job = await WaitForEndAsync(client, launched.RunId);
        Assert.True(job.State == "succeeded", $"{job.State}: {job.Error}");

        var best = await client.GetBestCheckpointAsync(launched.RunId);
        Assert.NotNull(best);
        Assert.Equal("checkpoint", best.Kind);
        Assert.Equal("loss", best.Monitor);
        var loss = await client.GetHistoryAsync(launched.RunId, "loss");
        Assert.Equal(201, loss.Count);
        var bestPoint = loss.Points.OrderBy(p => p.Value).ThenBy(p => p.Step).First();
        Assert.Equal(bestPoint.Step, best.Step);
        Assert.True(bestPoint.Step is > 0 and < 200, $"best step {bestPoint.Step}");
        Assert.Equal(bestPoint.Value, best.MetricValue);
        Assert.Single((await client.ListArtifactsAsync(launched.RunId)).Artifacts, a => a.Kind == "checkpoint");

        await using var stream = await client.OpenArtifactAsync(launched.RunId, best.Path);
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        // Little-endian float64, one per coordinate of the 8-dimensional problem.
        Assert.Equal(8 * sizeof(double), bytes.Length);
        var parameters = Enumerable.Range(0, 8).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(bytes.GetBuffer().AsSpan(i * 8, 8))).ToArray();
        // The stored parameters are those of that step: their loss is the logged one.
        var f = Enumerable.Range(0, 8).Sum(i => 0.5 * Math.Pow(100, i / 7.0) * parameters[i] * parameters[i]);
        Assert.Equal(bestPoint.Value, f, 9);
    }

    [Fact]
    public async Task A_network_experiment_keeps_its_parameters_at_its_best_val_loss_evaluation()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        // A float32 network, evaluated every 10 steps, monitored by the default val_loss: the parameters are widened to
        // float64 and copied only at an evaluation that improved.
        var launched = await client.LaunchExperimentAsync(
            "checkpoints",
            JsonNode
                .Parse(
                    """
                    {"solver": "adam", "problem": "mlp",
                     "hyperparameters": {"lr": 0.05, "dataset": "iris", "width": 16, "depth": 1, "dtype": "float32", "train_size": 30},
                     "steps": 300, "evalEvery": 10, "seed": 1}
                    """
                )!
                .AsObject()
        );
        var job = await WaitForEndAsync(client, launched.RunId);
        Assert.True(job.State == "succeeded", $"{job.State}: {job.Error}");

        var valLoss = await client.GetHistoryAsync(launched.RunId, "val_loss");
        Assert.Equal(31, valLoss.Count);
        var bestPoint = valLoss.Points.OrderBy(p => p.Value).ThenBy(p => p.Step).First();
        var best = await client.GetBestCheckpointAsync(launched.RunId);
        Assert.NotNull(best);
        Assert.Equal("val_loss", best.Monitor);
        Assert.Equal(bestPoint.Step, best.Step);
        Assert.Equal(bestPoint.Value, best.MetricValue);

        await using var stream = await client.OpenArtifactAsync(launched.RunId, best.Path);
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        // 4 features → 16 hidden → 3 classes: (4 × 16 + 16) + (16 × 3 + 3) = 131 parameters, float64 each.
        Assert.Equal(131 * sizeof(double), bytes.Length);
        for (var i = 0; i < 131; i++)
        {
            var value = BinaryPrimitives.ReadDoubleLittleEndian(bytes.GetBuffer().AsSpan(i * 8, 8));
            Assert.True(double.IsFinite(value) && value == (float)value, $"parameter {i} = {value}");
        }
    }

    [Fact]
    public async Task A_running_experiment_can_be_cancelled()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        var launched = await client.LaunchExperimentAsync(
            "cancel",
            JsonNode
                .Parse(
                    """
                    {"solver": "sgd", "problem": "quadratic", "hyperparameters": {"lr": 0.001, "dimension": 2000}, "steps": 1000000}
                    """
                )!
                .AsObject()
        );
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await client.GetExperimentAsync(launched.RunId)).State == "queued" && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        await client.CancelExperimentAsync(launched.RunId);
        var job = await WaitForEndAsync(client, launched.RunId);
        Assert.Equal("cancelled", job.State);
        Assert.Equal(RunState.Killed, (await client.GetRunAsync(launched.RunId)).State);
    }

    [Fact]
    public async Task An_experiment_interrupted_by_a_server_stop_is_restarted_and_stored_once()
    {
        var settings = new Dictionary<string, string?> { ["Tracker:Experiments:Lease"] = "00:00:04" };
        await using var server = TrackerServer.Start(kind, settings);
        var client = server.CreateClient();
        const int steps = 100_000;
        var launched = await client.LaunchExperimentAsync(
            "durable",
            JsonNode
                .Parse(
                    $$"""
                    {"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": 0.01, "dimension": 8}, "steps": {{steps}}}
                    """
                )!
                .AsObject()
        );
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var run = await client.GetRunAsync(launched.RunId);
            if (run.Summary.TryGetValue("loss", out var s) && s.Count > 1000)
                break;
            await Task.Delay(50);
        }
        await server.RestartAsync();
        client = server.CreateClient();
        var job = await WaitForEndAsync(client, launched.RunId, TimeSpan.FromSeconds(300));
        Assert.True(job.State == "succeeded", $"{job.State}: {job.Error}");
        Assert.True(job.Attempts >= 2, $"attempts {job.Attempts}");
        var loss = (await client.GetRunAsync(launched.RunId)).Summary["loss"];
        Assert.Equal(steps + 1, loss.Count);
        Assert.Equal(steps, loss.LastStep);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresHostedExperimentTests() : HostedExperimentTests(StoreKind.Postgres);

[Trait("Store", "Sqlite")]
public sealed class SqliteHostedExperimentTests() : HostedExperimentTests(StoreKind.Sqlite);
