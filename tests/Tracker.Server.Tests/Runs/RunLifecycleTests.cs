using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.Server.Tests.Mlflow;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Runs;

/// <summary>Every path that changes a run's state goes through <c>RunLifecycle</c>: each stores its state event and
/// pushes the change to a dashboard watching the project (a real SignalR client against the real server).</summary>
public abstract class RunLifecycleTests(StoreKind kind)
{
    [Fact]
    public async Task Rest_create_finish_and_sdk_resume_store_their_event_and_push_it_live()
    {
        await using var server = TrackerServer.Start(kind);
        var client = server.CreateClient();
        await using var live = await LiveStates.WatchAsync(server, "rest-life");

        var run = await client.CreateRunAsync("rest-life", new CreateRunRequest());
        await live.ExpectAsync(run.Id, null, RunState.Running);
        await AssertLastEventAsync(client, run.Id, null, "running", "run created");

        await client.UpdateRunAsync(run.Id, new UpdateRunRequest(State: RunState.Finished, Tags: ["a", "b"]));
        await live.ExpectAsync(run.Id, RunState.Running, RunState.Finished);
        await AssertLastEventAsync(client, run.Id, "running", "finished", "run finished");
        Assert.Equal(["a", "b"], (await client.GetRunAsync(run.Id)).Tags);

        // The SDK resumes an ended run with the same id (PATCH state running), then finishes it again.
        var home = Path.Combine(Path.GetTempPath(), "tracker-lifecycle-" + Guid.NewGuid().ToString("N"));
        await using (
            var resumed = await TrackerRun.StartAsync(
                new RunOptions
                {
                    Id = run.Id,
                    Project = "rest-life",
                    Resume = ResumeMode.Allow,
                    Url = server.BaseAddress,
                    ApiKey = TrackerServer.AdminKey,
                    TrackerHome = home,
                    SpoolDir = Path.Combine(home, "spool"),
                }
            )
        )
        {
            await live.ExpectAsync(run.Id, RunState.Finished, RunState.Running);
            await AssertLastEventAsync(client, run.Id, "finished", "running", "run resumed");
            await resumed.FinishAsync();
        }
        await live.ExpectAsync(run.Id, RunState.Running, RunState.Finished);
        if (Directory.Exists(home))
            Directory.Delete(home, recursive: true);
    }

    [Fact]
    public async Task Mlflow_create_update_and_terminate_store_their_event_and_push_it_live()
    {
        await using var server = TrackerServer.Start(kind);
        var mlflow = new MlflowClient(server.CreateHttpClient());
        var client = server.CreateClient();
        var experiment = await mlflow.CreateExperimentAsync("mlflow-life");
        var probe = await mlflow.CreateRunAsync(experiment);
        await using var live = await LiveStates.WatchAsync(server, (await client.GetRunAsync(probe)).Project);

        var runId = await mlflow.CreateRunAsync(experiment);
        await live.ExpectAsync(runId, null, RunState.Running);
        await AssertLastEventAsync(client, runId, null, "running", "run created (MLflow API)");

        await mlflow.OkAsync("runs/update", $$"""{"run_id":"{{runId}}","status":"FAILED","end_time":1700000005000}""");
        await live.ExpectAsync(runId, RunState.Running, RunState.Failed);
        await AssertLastEventAsync(client, runId, "running", "failed", "run failed (MLflow API)");
        Assert.Equal(1700000005000, (await client.GetRunAsync(runId)).EndedAt!.Value.ToUnixTimeMilliseconds());

        await mlflow.OkAsync("runs/update", $$"""{"run_id":"{{runId}}","status":"RUNNING"}""");
        await live.ExpectAsync(runId, RunState.Failed, RunState.Running);
        await AssertLastEventAsync(client, runId, "failed", "running", "run resumed (MLflow API)");

        // What mlflow.end_run() sends: set_terminated is an update with an end status.
        await mlflow.OkAsync("runs/update", $$"""{"run_id":"{{runId}}","status":"KILLED","end_time":1700000009000}""");
        await live.ExpectAsync(runId, RunState.Running, RunState.Killed);
        await AssertLastEventAsync(client, runId, "running", "killed", "run killed (MLflow API)");

        // MLflow logs to an ended run without reopening it (no state change, no event).
        await mlflow.OkAsync("runs/log-batch", $$"""{"run_id":"{{runId}}","metrics":[{"key":"loss","value":1.5,"timestamp":1700000010000,"step":3}]}""");
        var after = await client.GetRunAsync(runId);
        Assert.Equal(RunState.Killed, after.State);
        Assert.Equal(1, after.Summary["loss"].Count);
        await AssertLastEventAsync(client, runId, "running", "killed", "run killed (MLflow API)");
    }

    [Fact]
    public async Task Crash_sweep_and_mlflow_reopen_store_their_event_and_push_it_live()
    {
        await using var server = TrackerServer.Start(
            kind,
            new Dictionary<string, string?> { ["Tracker:Runs:HeartbeatTimeout"] = "00:00:01", ["Tracker:Runs:SweepInterval"] = "00:00:00.200" }
        );
        var mlflow = new MlflowClient(server.CreateHttpClient());
        var client = server.CreateClient();
        var experiment = await mlflow.CreateExperimentAsync("crash-life");
        var probe = await mlflow.CreateRunAsync(experiment);
        // Watching before the run exists: its heartbeat timeout is short.
        await using var live = await LiveStates.WatchAsync(server, (await client.GetRunAsync(probe)).Project);
        var runId = await mlflow.CreateRunAsync(experiment);

        await live.ExpectAsync(runId, RunState.Running, RunState.Crashed, TimeSpan.FromSeconds(30));
        var events = (await client.ListEventsAsync(runId)).Events;
        Assert.Contains(events, e => e is { From: "running", To: "crashed" } && e.Message!.StartsWith("no heartbeat for", StringComparison.Ordinal));

        // The MLflow client is evidently alive: its batch reopens the run (state, end and event in one transaction).
        await mlflow.OkAsync("runs/log-batch", $$"""{"run_id":"{{runId}}","metrics":[{"key":"loss","value":2.5,"timestamp":1700000010000,"step":1}]}""");
        await live.ExpectAsync(runId, RunState.Crashed, RunState.Running);
        events = (await client.ListEventsAsync(runId)).Events;
        Assert.Contains(events, e => e is { From: "crashed", To: "running", Message: "run resumed: MLflow client logged metrics" });
        Assert.Equal(1, (await client.GetRunAsync(runId)).Summary["loss"].Count);
    }

    [Fact]
    public async Task Experiment_queue_cancel_and_finish_store_their_event_and_push_it_live()
    {
        await using var server = TrackerServer.Start(kind, new Dictionary<string, string?> { ["Tracker:Experiments:Concurrency"] = "1" });
        var client = server.CreateClient();
        await using var live = await LiveStates.WatchAsync(server, "exp-life");

        // A long experiment holds the only worker, so the next one stays queued.
        var busy = await client.LaunchExperimentAsync(
            "exp-life",
            JsonNode
                .Parse(
                    """
                    {"solver": "sgd", "problem": "quadratic", "hyperparameters": {"lr": 0.001, "dimension": 2000}, "steps": 1000000}
                    """
                )!
                .AsObject()
        );
        await live.ExpectAsync(busy.RunId, null, RunState.Running);
        await AssertLastEventAsync(client, busy.RunId, null, "running", "experiment queued");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await client.GetExperimentAsync(busy.RunId)).State == "queued" && DateTime.UtcNow < deadline)
            await Task.Delay(50);

        var waiting = await client.LaunchExperimentAsync(
            "exp-life",
            JsonNode
                .Parse(
                    """
                    {"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": 0.1}, "steps": 20}
                    """
                )!
                .AsObject()
        );
        await live.ExpectAsync(waiting.RunId, null, RunState.Running);
        Assert.Equal("cancelled", (await client.CancelExperimentAsync(waiting.RunId)).State);
        await live.ExpectAsync(waiting.RunId, RunState.Running, RunState.Killed);
        await AssertLastEventAsync(client, waiting.RunId, "running", "killed", "experiment cancelled before it started");

        await client.CancelExperimentAsync(busy.RunId);
        await live.ExpectAsync(busy.RunId, RunState.Running, RunState.Killed, TimeSpan.FromSeconds(30));
        await AssertLastEventAsync(client, busy.RunId, "running", "killed", "experiment cancelled");

        var quick = await client.LaunchExperimentAsync(
            "exp-life",
            JsonNode
                .Parse(
                    """
                    {"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": 0.1}, "steps": 20}
                    """
                )!
                .AsObject()
        );
        await live.ExpectAsync(quick.RunId, null, RunState.Running);
        await live.ExpectAsync(quick.RunId, RunState.Running, RunState.Finished, TimeSpan.FromSeconds(60));
        var finished = (await client.ListEventsAsync(quick.RunId)).Events.Last(e => e.Kind == "state");
        Assert.Equal(("running", "finished"), (finished.From, finished.To));
        Assert.StartsWith("experiment finished: ", finished.Message, StringComparison.Ordinal);
    }

    private static async Task AssertLastEventAsync(TrackerClient client, string runId, string? from, string to, string message)
    {
        var last = (await client.ListEventsAsync(runId)).Events.Last(e => e.Kind == "state");
        Assert.Equal((from, to, message), (last.From, last.To, last.Message));
    }

    /// <summary>A dashboard's view: the state pushes of one project, as the hub delivers them.</summary>
    private sealed class LiveStates : IAsyncDisposable
    {
        private readonly HubConnection _hub;
        private readonly Channel<LiveRunState> _states = Channel.CreateUnbounded<LiveRunState>();
        private readonly List<LiveRunState> _seen = [];

        private LiveStates(HubConnection hub)
        {
            _hub = hub;
            _hub.On<LiveRunState>(LiveHub.State, s => _states.Writer.TryWrite(s));
        }

        public static async Task<LiveStates> WatchAsync(TrackerServer server, string project)
        {
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseAddress, LiveHub.Path.TrimStart('/')), o =>
                    o.AccessTokenProvider = () => Task.FromResult<string?>(TrackerServer.AdminKey)
                )
                .AddJsonProtocol(o =>
                {
                    o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, LiveJsonContext.Default);
                    o.PayloadSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
                })
                .Build();
            var states = new LiveStates(hub);
            await hub.StartAsync();
            await hub.InvokeAsync(LiveHub.SubscribeProject, project);
            return states;
        }

        /// <summary>Waits for the push of <paramref name="runId"/> moving <paramref name="from"/> → <paramref name="to"/>.</summary>
        public async Task ExpectAsync(string runId, RunState? from, RunState to, TimeSpan? timeout = null)
        {
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
            var match = _seen.FirstOrDefault(s => s.RunId == runId && s.From == from && s.To == to);
            try
            {
                while (match is null)
                {
                    var next = await _states.Reader.ReadAsync(cts.Token);
                    if (next.RunId == runId && next.From == from && next.To == to)
                        match = next;
                    else
                        _seen.Add(next);
                }
            }
            catch (OperationCanceledException)
            {
                Assert.Fail(
                    $"no live push {from?.ToString() ?? "new"} → {to} for run {runId}; saw: {string.Join(", ", _seen.Select(s => $"{s.RunId} {s.From}→{s.To}"))}"
                );
            }
            _seen.Remove(match);
        }

        public async ValueTask DisposeAsync() => await _hub.DisposeAsync();
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresRunLifecycleTests() : RunLifecycleTests(StoreKind.Postgres);

[Trait("Store", "Sqlite")]
public sealed class SqliteRunLifecycleTests() : RunLifecycleTests(StoreKind.Sqlite);
