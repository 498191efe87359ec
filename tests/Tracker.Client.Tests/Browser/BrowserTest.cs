namespace Tracker.Client.Tests.Browser;

/// <summary>A browser test class: after each test, the browser contexts it opened through the fixture are closed.</summary>
public abstract class BrowserTest(DashboardFixture fixture) : IAsyncLifetime
{
    /// <summary>The shared server and browser.</summary>
    protected DashboardFixture Fx { get; } = fixture;

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task DisposeAsync() => Fx.CloseContextsAsync();
}
