using Tracker.TestSupport;

namespace Tracker.Sdk.Tests;

/// <summary>One real server over PostgreSQL shared by the tests that do not stop it.</summary>
public sealed class SdkServerFixture : IAsyncLifetime
{
    public TrackerServer Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = TrackerServer.Start(StoreKind.Postgres);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SdkServerCollection : ICollectionFixture<SdkServerFixture>
{
    public const string Name = "sdk-server";
}
