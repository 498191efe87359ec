using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.Server.Storage;
using Tracker.Server.Tests.Api;

namespace Tracker.Server.Tests.Hubs;

/// <summary>The live hub follows its key: a revoked, expired or elsewhere-deleted key's connections close within
/// seconds, and a project-bound key joins only its project's groups.</summary>
public abstract class HubKeyTests(ServerFixture fixture)
{
    private TrackerClient Admin => fixture.Server.CreateClient();

    [Fact]
    public async Task Revoking_a_key_closes_its_hub_connections_at_once()
    {
        await Admin.CreateProjectAsync(new CreateProjectRequest("hub-revoke"));
        var key = await Admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read, Project: "hub-revoke"));
        await using var first = await LiveHubClient.ConnectAsync(fixture.Server, key.Key);
        await using var second = await LiveHubClient.ConnectAsync(fixture.Server, key.Key);
        await first.Connection.InvokeAsync(LiveHub.SubscribeProject, "hub-revoke");
        await using var bystander = await LiveHubClient.ConnectAsync(fixture.Server, TestSupport.TrackerServer.AdminKey);

        var revoked = DateTime.UtcNow;
        await Admin.DeleteKeyAsync(key.Info.Id);
        await first.WaitClosedAsync(revoked, TimeSpan.FromSeconds(5));
        await second.WaitClosedAsync(revoked, TimeSpan.FromSeconds(5));
        Assert.False(bystander.Closed.IsCompleted);
        await bystander.Connection.InvokeAsync(LiveHub.SubscribeProject, "hub-revoke");
    }

    [Fact]
    public async Task A_key_deleted_behind_this_server_closes_its_connections_at_the_next_key_check()
    {
        // As when another replica revokes it: this server's registry and authentication cache know nothing of it.
        await Admin.CreateProjectAsync(new CreateProjectRequest("hub-elsewhere"));
        var key = await Admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read));
        await using var hub = await LiveHubClient.ConnectAsync(fixture.Server, key.Key);
        await hub.Connection.InvokeAsync(LiveHub.SubscribeProject, "hub-elsewhere");

        var deleted = DateTime.UtcNow;
        await using (var scope = fixture.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
            Assert.Equal(1, await db.ApiKeys.Where(k => k.Id == key.Info.Id).ExecuteDeleteAsync());
        }
        // Tracker:Hub:KeyCheckInterval is 2 s; a loaded machine gets a few seconds more.
        var took = await hub.WaitClosedAsync(deleted, TimeSpan.FromSeconds(10));
        Assert.True(took < TimeSpan.FromSeconds(10), $"closed after {took}");
    }

    [Fact]
    public async Task An_expiring_key_loses_its_hub_connection_when_it_expires()
    {
        var expires = DateTimeOffset.UtcNow.AddSeconds(15);
        var key = await Admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read, ExpiresAt: expires));
        await using var hub = await LiveHubClient.ConnectAsync(fixture.Server, key.Key);
        Assert.False(hub.Closed.IsCompleted);
        await hub.Closed.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.True(DateTimeOffset.UtcNow >= expires, "closed before the key expired");
    }

    [Fact]
    public async Task A_project_bound_key_joins_only_its_own_project_and_runs()
    {
        var admin = Admin;
        var theirs = await admin.CreateRunAsync("hub-theirs", new CreateRunRequest());
        var mine = await admin.CreateRunAsync("hub-mine", new CreateRunRequest());
        var key = await admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read, Project: "hub-mine"));
        await using var hub = await LiveHubClient.ConnectAsync(fixture.Server, key.Key);
        await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync(LiveHub.SubscribeProject, "hub-theirs"));
        await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync(LiveHub.SubscribeRun, theirs.Id));
        await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync(LiveHub.SubscribeRun, "no-such-run"));
        await hub.Connection.InvokeAsync(LiveHub.SubscribeProject, "hub-mine");
        await hub.Connection.InvokeAsync(LiveHub.SubscribeRun, mine.Id);
        Assert.False(hub.Closed.IsCompleted);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresHubKeyTests(PostgresServerFixture fixture) : HubKeyTests(fixture), IClassFixture<PostgresServerFixture>;

[Trait("Store", "Sqlite")]
public sealed class SqliteHubKeyTests(SqliteServerFixture fixture) : HubKeyTests(fixture), IClassFixture<SqliteServerFixture>;
