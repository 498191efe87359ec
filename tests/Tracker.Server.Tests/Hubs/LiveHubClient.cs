using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Hubs;

/// <summary>A connection to the live hub with a given key, and a task that completes when the server closes it.</summary>
internal sealed class LiveHubClient : IAsyncDisposable
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LiveHubClient(HubConnection connection)
    {
        Connection = connection;
        connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    /// <summary>Completes when the connection closed (not reconnecting: the client has no automatic reconnect).</summary>
    public Task Closed => _closed.Task;

    public static async Task<LiveHubClient> ConnectAsync(TrackerServer server, string key)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, LiveHub.Path.TrimStart('/')), o => o.AccessTokenProvider = () => Task.FromResult<string?>(key))
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, LiveJsonContext.Default);
                o.PayloadSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            })
            .Build();
        var client = new LiveHubClient(connection);
        await connection.StartAsync();
        return client;
    }

    /// <summary>Waits for the close, at most <paramref name="within"/>; returns how long it took.</summary>
    public async Task<TimeSpan> WaitClosedAsync(DateTime since, TimeSpan within)
    {
        await Closed.WaitAsync(within);
        return DateTime.UtcNow - since;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
