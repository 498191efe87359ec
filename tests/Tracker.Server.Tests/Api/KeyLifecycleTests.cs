using System.Net;
using System.Net.Http.Json;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Api;

/// <summary>Keys end: <c>Tracker:AdminKey</c> removed from configuration retires the key it seeded; a key created with
/// <c>expiresAt</c> is refused from then on, cached or not.</summary>
public sealed class KeyLifecycleTests
{
    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Removing_the_configured_admin_key_retires_it(StoreKind kind)
    {
        await using var server = TrackerServer.Start(kind);
        var other = await server.CreateClient().CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Admin, Name: "kept"));

        // Changed: the old value stops working, the new one works.
        const string replacement = "trk_test_replacement_admin_key_0123";
        await server.RestartAsync(new Dictionary<string, string?> { ["Tracker:AdminKey"] = replacement });
        await AssertStatusAsync(server, TrackerServer.AdminKey, HttpStatusCode.Unauthorized);
        await AssertStatusAsync(server, replacement, HttpStatusCode.OK);

        // Removed: the configured key is gone; keys created through the API stay.
        await server.RestartAsync(new Dictionary<string, string?> { ["Tracker:AdminKey"] = null });
        await AssertStatusAsync(server, replacement, HttpStatusCode.Unauthorized);
        await AssertStatusAsync(server, other.Key, HttpStatusCode.OK);
        var listed = await server.CreateClient(other.Key).ListKeysAsync();
        Assert.DoesNotContain(listed.Keys, k => k.Id == "configured-admin");
    }

    [Fact]
    public async Task An_expired_key_is_refused_even_while_cached()
    {
        await using var server = TrackerServer.Start(StoreKind.Sqlite);
        var admin = server.CreateClient();
        var expires = DateTimeOffset.UtcNow.AddSeconds(5);
        var key = await admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read, ExpiresAt: expires));
        Assert.Equal(expires.ToUnixTimeMilliseconds(), key.Info.ExpiresAt!.Value.ToUnixTimeMilliseconds());
        await AssertStatusAsync(server, key.Key, HttpStatusCode.OK); // now cached for 30 s
        Assert.Equal(
            expires.ToUnixTimeMilliseconds(),
            (await admin.ListKeysAsync()).Keys.Single(k => k.Id == key.Info.Id).ExpiresAt!.Value.ToUnixTimeMilliseconds()
        );

        var wait = expires - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait + TimeSpan.FromMilliseconds(200));
        await AssertStatusAsync(server, key.Key, HttpStatusCode.Unauthorized);

        // After a restart (nothing cached) too.
        await server.RestartAsync();
        await AssertStatusAsync(server, key.Key, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_cannot_be_created_already_expired()
    {
        await using var server = TrackerServer.Start(StoreKind.Sqlite);
        using var http = server.CreateHttpClient();
        using var response = await http.PostAsJsonAsync("api/v1/keys", new { scope = "read", expiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expiresAt", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertStatusAsync(TrackerServer server, string key, HttpStatusCode expected)
    {
        using var http = server.CreateHttpClient(key);
        using var response = await http.GetAsync(new Uri("api/v1/projects", UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
    }
}
