using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Server.Auth;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Api;

/// <summary><c>Tracker:RateLimits</c>: a token bucket per key and per address, 429 with <c>Retry-After</c>, unknown keys
/// bounded in look-ups and cache entries. The limiter is in front of the store, so one store is enough here.</summary>
[Trait("Store", "Sqlite")]
public sealed class RateLimitTests
{
    private static TrackerServer Start(bool enabled = true) =>
        TrackerServer.Start(
            StoreKind.Sqlite,
            new Dictionary<string, string?>
            {
                ["Tracker:RateLimits:Enabled"] = enabled ? "true" : "false",
                ["Tracker:RateLimits:PerKeyPerSecond"] = "1",
                ["Tracker:RateLimits:PerKeyBurst"] = "5",
                ["Tracker:RateLimits:PerAddressPerSecond"] = "1",
                ["Tracker:RateLimits:PerAddressBurst"] = "8",
                ["Tracker:RateLimits:KeyLookupsPerAddressPerSecond"] = "3",
                ["Tracker:RateLimits:KeyCacheSize"] = "4",
            }
        );

    [Fact]
    public async Task A_key_past_its_bucket_gets_429_with_retry_after_on_v1_and_mlflow()
    {
        await using var server = Start();
        using var http = server.CreateHttpClient();
        // Burst 5, refilled at 1/s: the first requests pass, and a quick series soon meets a 429 (on a slow machine a
        // few more pass as tokens come back).
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 40 && limited is null; i++)
        {
            var response = await http.GetAsync(new Uri("api/v1/projects", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited = response;
            else
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.NotNull(limited);
        using (limited)
        {
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
            Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }
        JsonElement? mlflowError = null;
        for (var i = 0; i < 10 && mlflowError is null; i++)
        {
            using var response = await http.GetAsync(new Uri("api/2.0/mlflow/experiments/search", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
                continue;
            Assert.NotNull(response.Headers.RetryAfter);
            mlflowError = await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", mlflowError?.GetProperty("error_code").GetString());
        // Health probes and the dashboard are not limited.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Made_up_keys_cost_bounded_lookups_and_cache_entries()
    {
        await using var server = Start();
        using var http = server.CreateHttpClient(null);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/projects");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"trk_made_up_{i}_{Guid.NewGuid():N}");
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                Assert.NotNull(response.Headers.RetryAfter);
        }
        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        // 3 look-ups a second were allowed: far fewer than 30 reached the database, and the cache stays within its bound.
        Assert.True(statuses.Count(s => s == HttpStatusCode.Unauthorized) <= 6, string.Join(",", statuses));
        Assert.True(server.Services.GetRequiredService<ApiKeyStore>().CachedCount <= 4);

        // The admin key still works from the same address once the look-up bucket refills: its own bucket, not the address's.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var admin = server.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri("api/v1/projects", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Disabled_rate_limits_let_every_request_through()
    {
        await using var server = Start(enabled: false);
        using var http = server.CreateHttpClient();
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("api/v1/projects", UriKind.Relative))).StatusCode);
        }
    }
}
