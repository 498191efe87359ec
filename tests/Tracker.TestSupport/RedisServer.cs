namespace Tracker.TestSupport;

/// <summary>A throwaway <c>redis-server</c> (Debian's, from apt) on a free loopback port: no persistence, its own
/// folder, stopped by its PID.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly Lazy<Task<RedisServer>> Shared = new(() => StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly LoopbackProcess _process;

    private RedisServer(LoopbackProcess process, int port)
    {
        _process = process;
        Endpoint = $"127.0.0.1:{port}";
    }

    /// <summary>The <c>host:port</c> to give <c>Tracker:Redis</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The Redis of this test process (replicas of different tests keep apart by their database's name).</summary>
    public static Task<RedisServer> Instance => Shared.Value;

    /// <summary>Starts a Redis of its own.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        var dir = TestFolders.Create("redis-");
        var port = LoopbackProcess.FreePort();
        var process = LoopbackProcess.Start(
            "redis-server",
            [
                "--port",
                port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir,
            ]
        );
        await process.WaitForPortAsync(port, TimeSpan.FromSeconds(10));
        return new RedisServer(process, port);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
