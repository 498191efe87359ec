using Tracker.TestSupport;

namespace Tracker.Server.Tests.Scale;

/// <summary>One scaled deployment shared by <see cref="MultiProcessReplicaTests"/>: two API replicas and two workers as
/// processes, PostgreSQL, redis-server and nginx; short experiment leases so a killed worker's job moves quickly.</summary>
public sealed class ScaledDeploymentFixture : IAsyncLifetime
{
    /// <summary>The deployment (replicas 0 and 1: api; 2 and 3: worker).</summary>
    public ReplicaDeployment Deployment => _deployment ?? throw new InvalidOperationException("the deployment did not start");

    private ReplicaDeployment? _deployment;

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        _deployment = await ReplicaDeployment.StartAsync(
            ["api", "api", "worker", "worker"],
            new Dictionary<string, string>
            {
                ["Tracker:Experiments:Lease"] = "00:00:03",
                ["Tracker:Experiments:MaxAttempts"] = "5",
                ["Tracker:Experiments:Concurrency"] = "1",
            }
        );

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_deployment is not null)
            await _deployment.DisposeAsync();
    }
}
