using Tracker.TestSupport;

namespace Tracker.Server.Tests.Api;

/// <summary>One server per test class and store kind.</summary>
public abstract class ServerFixture(StoreKind kind) : IAsyncLifetime
{
    public TrackerServer Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = TrackerServer.Start(kind);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class PostgresServerFixture() : ServerFixture(StoreKind.Postgres);

public sealed class SqliteServerFixture() : ServerFixture(StoreKind.Sqlite);
