using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Client.Tests.Hub;

/// <summary>The live hub against the real server: what a subscriber receives, and who may subscribe.</summary>
public sealed class LiveHubTests : IAsyncLifetime
{
    private TrackerServer _server = null!;

    public Task InitializeAsync()
    {
        _server = TrackerServer.Start(StoreKind.Sqlite);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HubConnection> ConnectAsync(string? key = TrackerServer.AdminKey)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_server.BaseAddress, LiveHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult(key))
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, LiveJsonContext.Default);
                o.PayloadSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            })
            .Build();
        await hub.StartAsync();
        return hub;
    }

    private static async Task<T> NextAsync<T>(ChannelReader<T> reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadAsync(timeout.Token);
    }

    [Fact]
    public async Task Run_subscriber_receives_new_points_per_series()
    {
        var admin = _server.CreateClient();
        var run = await admin.CreateRunAsync("hub", new CreateRunRequest());
        await using var hub = await ConnectAsync();
        var received = Channel.CreateUnbounded<LivePoints>();
        hub.On<LivePoints>(LiveHub.Points, p => received.Writer.TryWrite(p));
        await hub.InvokeAsync(LiveHub.SubscribeRun, run.Id);

        await admin.LogMetricsAsync(run.Id, new LogMetricsRequest(0, [new("loss", 0, 1.5), new("acc", 0, 0.1), new("loss", 1, double.NaN)]));
        var message = await NextAsync(received.Reader);
        Assert.Equal(run.Id, message.RunId);
        var loss = message.Series.Single(s => s.Key == "loss");
        Assert.Equal([0L, 1L], loss.Steps);
        Assert.Equal(1.5, loss.Values[0]);
        Assert.True(double.IsNaN(loss.Values[1]));
        Assert.False(loss.Sampled);
        Assert.Equal([0.1], message.Series.Single(s => s.Key == "acc").Values);
    }

    [Fact]
    public async Task A_large_burst_arrives_downsampled_keeping_its_extremes()
    {
        var admin = _server.CreateClient();
        var run = await admin.CreateRunAsync("hub", new CreateRunRequest());
        await using var hub = await ConnectAsync();
        var received = Channel.CreateUnbounded<LivePoints>();
        hub.On<LivePoints>(LiveHub.Points, p => received.Writer.TryWrite(p));
        await hub.InvokeAsync(LiveHub.SubscribeRun, run.Id);

        var points = Enumerable
            .Range(0, 5000)
            .Select(i => new MetricPointInput(
                "loss",
                i,
                i == 3333 ? 100
                    : i == 1234 ? -100
                    : Math.Sin(i)
            ))
            .ToList();
        await admin.LogMetricsAsync(run.Id, new LogMetricsRequest(0, points));
        var loss = (await NextAsync(received.Reader)).Series.Single();
        Assert.True(loss.Sampled);
        Assert.InRange(loss.Steps.Length, 250, 500);
        Assert.Contains(3333L, loss.Steps);
        Assert.Contains(1234L, loss.Steps);
        Assert.Equal(loss.Steps.Order(), loss.Steps);
        Assert.Equal(100, loss.Values.Max());
        Assert.Equal(-100, loss.Values.Min());
    }

    [Fact]
    public async Task Project_subscriber_sees_new_runs_summary_deltas_and_state_changes()
    {
        var admin = _server.CreateClient();
        await using var hub = await ConnectAsync();
        var states = Channel.CreateUnbounded<LiveRunState>();
        var summaries = Channel.CreateUnbounded<LiveRunSummary>();
        hub.On<LiveRunState>(LiveHub.State, s => states.Writer.TryWrite(s));
        hub.On<LiveRunSummary>(LiveHub.Summary, s => summaries.Writer.TryWrite(s));
        await hub.InvokeAsync(LiveHub.SubscribeProject, "hubproj");

        var run = await admin.CreateRunAsync("hubproj", new CreateRunRequest(Name: "r"));
        var created = await NextAsync(states.Reader);
        Assert.Equal((run.Id, (RunState?)null, RunState.Running), (created.RunId, created.From, created.To));

        await admin.LogMetricsAsync(run.Id, new LogMetricsRequest(0, [new("val_loss", 3, 0.7), new("val_loss", 4, 0.5), new("val_loss", 5, 0.6)]));
        var delta = (await NextAsync(summaries.Reader)).Series["val_loss"];
        Assert.Equal((0.6, 5L, 0.5, 0.7, 3L), (delta.Last, delta.LastStep, delta.Min!.Value, delta.Max!.Value, delta.Count));

        await admin.UpdateRunAsync(run.Id, new UpdateRunRequest(State: RunState.Finished));
        var finished = await NextAsync(states.Reader);
        Assert.Equal((RunState?)RunState.Running, finished.From);
        Assert.Equal(RunState.Finished, finished.To);
    }

    [Fact]
    public async Task A_key_bound_to_another_project_cannot_subscribe()
    {
        var admin = _server.CreateClient();
        var run = await admin.CreateRunAsync("secret", new CreateRunRequest());
        await admin.CreateProjectAsync(new CreateProjectRequest("other"));
        var bound = (await admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read, Project: "other"))).Key;
        await using var hub = await ConnectAsync(bound);
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(LiveHub.SubscribeRun, run.Id));
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(LiveHub.SubscribeProject, "secret"));
        await hub.InvokeAsync(LiveHub.SubscribeProject, "other");
    }

    [Fact]
    public async Task The_hub_refuses_a_missing_or_unknown_key()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(null));
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("trk_not_a_key"));
    }

    [Fact]
    public async Task An_unknown_run_cannot_be_subscribed()
    {
        await using var hub = await ConnectAsync();
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync(LiveHub.SubscribeRun, "no-such-run"));
    }
}
