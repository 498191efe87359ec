using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Services;

/// <summary>The one hub connection of the page (<c>/hubs/runs</c>), reconnecting by itself; subscriptions are disposable and
/// are sent again after a reconnect. Messages are dispatched to the subscribers of their run or project.</summary>
public sealed class LiveConnection(DashboardEndpoint endpoint) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<RunSubscription> _runs = [];
    private readonly List<ProjectSubscription> _projects = [];
    private HubConnection? _hub;

    /// <summary>The connection's state in words (for the status dot).</summary>
    public HubConnectionState State => _hub?.State ?? HubConnectionState.Disconnected;

    /// <summary>Raised when the connection state changes.</summary>
    public event Action? StateChanged;

    /// <summary>Receives a run's points, state changes and events until disposed.</summary>
    public async Task<IAsyncDisposable> SubscribeRunAsync(
        string runId,
        Action<LivePoints> points,
        Action<LiveRunState>? state = null,
        Action<LiveRunEvent>? evt = null
    )
    {
        var sub = new RunSubscription(this, runId, points, state, evt);
        lock (_runs)
            _runs.Add(sub);
        var hub = await EnsureStartedAsync();
        await hub.InvokeAsync(LiveHub.SubscribeRun, runId);
        return sub;
    }

    /// <summary>Receives a project's run summaries, state changes and events until disposed.</summary>
    public async Task<IAsyncDisposable> SubscribeProjectAsync(
        string project,
        Action<LiveRunSummary> summary,
        Action<LiveRunState>? state = null,
        Action<LiveRunEvent>? evt = null
    )
    {
        var sub = new ProjectSubscription(this, project, summary, state, evt);
        lock (_projects)
            _projects.Add(sub);
        var hub = await EnsureStartedAsync();
        await hub.InvokeAsync(LiveHub.SubscribeProject, project);
        return sub;
    }

    private async Task<HubConnection> EnsureStartedAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_hub is null)
            {
                _hub = new HubConnectionBuilder()
                    .WithUrl(new Uri(endpoint.BaseAddress, LiveHub.Path), o =>
                    {
                        // The browser sends its session cookie itself (same origin); a server circuit forwards it.
                        if (endpoint.Cookie is { Length: > 0 } cookie)
                            o.Headers["Cookie"] = cookie;
                    })
                    .WithAutomaticReconnect([
                        TimeSpan.Zero,
                        TimeSpan.FromSeconds(1),
                        TimeSpan.FromSeconds(2),
                        TimeSpan.FromSeconds(5),
                        TimeSpan.FromSeconds(10),
                        TimeSpan.FromSeconds(10),
                        TimeSpan.FromSeconds(30),
                    ])
                    .AddJsonProtocol(o =>
                    {
                        o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, LiveJsonContext.Default);
                        o.PayloadSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
                    })
                    .Build();
                _hub.On<LivePoints>(LiveHub.Points, OnPoints);
                _hub.On<LiveRunSummary>(LiveHub.Summary, OnSummary);
                _hub.On<LiveRunState>(LiveHub.State, OnState);
                _hub.On<LiveRunEvent>(LiveHub.Event, OnEvent);
                _hub.Reconnecting += _ => Notify();
                _hub.Reconnected += async _ =>
                {
                    await Notify();
                    await ResubscribeAsync();
                };
                _hub.Closed += _ => Notify();
            }
            if (_hub.State == HubConnectionState.Disconnected)
            {
                await _hub.StartAsync();
                await Notify();
            }
            return _hub;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task Notify()
    {
        StateChanged?.Invoke();
        return Task.CompletedTask;
    }

    private async Task ResubscribeAsync()
    {
        if (_hub is null)
            return;
        string[] runs,
            projects;
        lock (_runs)
            runs = [.. _runs.Select(r => r.RunId).Distinct()];
        lock (_projects)
            projects = [.. _projects.Select(p => p.Project).Distinct()];
        foreach (var r in runs)
            await _hub.InvokeAsync(LiveHub.SubscribeRun, r);
        foreach (var p in projects)
            await _hub.InvokeAsync(LiveHub.SubscribeProject, p);
    }

    private void OnPoints(LivePoints m)
    {
        foreach (var s in Snapshot(_runs))
            if (s.RunId == m.RunId)
                s.Points(m);
    }

    private void OnSummary(LiveRunSummary m)
    {
        foreach (var s in Snapshot(_projects))
            if (s.Project == m.Project)
                s.Summary(m);
    }

    private void OnState(LiveRunState m)
    {
        foreach (var s in Snapshot(_runs))
            if (s.RunId == m.RunId)
                s.State?.Invoke(m);
        foreach (var s in Snapshot(_projects))
            if (s.Project == m.Project)
                s.State?.Invoke(m);
    }

    private void OnEvent(LiveRunEvent m)
    {
        foreach (var s in Snapshot(_runs))
            if (s.RunId == m.RunId)
                s.Event?.Invoke(m);
        foreach (var s in Snapshot(_projects))
            if (s.Project == m.Project)
                s.Event?.Invoke(m);
    }

    private static T[] Snapshot<T>(List<T> list)
    {
        lock (list)
            return [.. list];
    }

    private async ValueTask RemoveAsync(RunSubscription sub)
    {
        bool last;
        lock (_runs)
        {
            _runs.Remove(sub);
            last = !_runs.Any(r => r.RunId == sub.RunId);
        }
        if (last && _hub?.State == HubConnectionState.Connected)
            await _hub.InvokeAsync(LiveHub.UnsubscribeRun, sub.RunId);
    }

    private async ValueTask RemoveAsync(ProjectSubscription sub)
    {
        bool last;
        lock (_projects)
        {
            _projects.Remove(sub);
            last = !_projects.Any(p => p.Project == sub.Project);
        }
        if (last && _hub?.State == HubConnectionState.Connected)
            await _hub.InvokeAsync(LiveHub.UnsubscribeProject, sub.Project);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
            await _hub.DisposeAsync();
        _gate.Dispose();
    }

    private sealed record RunSubscription(
        LiveConnection Owner,
        string RunId,
        Action<LivePoints> Points,
        Action<LiveRunState>? State,
        Action<LiveRunEvent>? Event
    ) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owner.RemoveAsync(this);
    }

    private sealed record ProjectSubscription(
        LiveConnection Owner,
        string Project,
        Action<LiveRunSummary> Summary,
        Action<LiveRunState>? State,
        Action<LiveRunEvent>? Event
    ) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Owner.RemoveAsync(this);
    }
}
