using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Api;

/// <summary>Security headers on API, static-file, page and error responses (Development, where the dashboard's static
/// web assets are served), the page's nonce on its import map, HSTS over HTTPS only.</summary>
[Trait("Store", "Sqlite")]
public sealed partial class SecurityHeaderTests : IAsyncLifetime
{
    private TrackerServer _server = null!;

    public Task InitializeAsync()
    {
        _server = TrackerServer.Start(StoreKind.Sqlite, environment: "Development");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("api/v1/projects", HttpStatusCode.OK)]
    [InlineData("api/2.0/mlflow/experiments/search?max_results=5", HttpStatusCode.OK)]
    [InlineData("api/v1/runs/no-such-run", HttpStatusCode.NotFound)]
    [InlineData("healthz", HttpStatusCode.OK)]
    public async Task Api_responses_carry_the_headers_and_a_policy_that_loads_nothing(string path, HttpStatusCode status)
    {
        using var http = _server.CreateHttpClient();
        using var response = await http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        AssertCommonHeaders(response);
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
    }

    [Fact]
    public async Task Unauthenticated_and_malformed_requests_carry_the_headers()
    {
        using var anonymous = _server.CreateHttpClient(null);
        using var unauthorized = await anonymous.GetAsync("api/v1/projects");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        AssertCommonHeaders(unauthorized);

        using var http = _server.CreateHttpClient();
        using var bad = await http.GetAsync("api/v1/projects/p/runs?limit=y");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        AssertCommonHeaders(bad);
        Assert.Contains("frame-ancestors 'none'", Header(bad, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app.css")]
    [InlineData("lib/plotly/plotly-cartesian-3.7.0.min.js")]
    [InlineData("_framework/blazor.web.js")]
    public async Task Static_files_carry_the_dashboard_policy(string path)
    {
        using var http = _server.CreateHttpClient(null);
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCommonHeaders(response);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_carries_a_fresh_nonce_that_its_import_map_holds()
    {
        using var http = _server.CreateHttpClient(null);
        var nonces = new List<string>();
        foreach (var path in new[] { "login", "login", "no-such-page" })
        {
            using var response = await http.GetAsync(path);
            AssertCommonHeaders(response);
            var csp = Header(response, "Content-Security-Policy");
            var nonce = NonceSource().Match(csp).Groups[1].Value;
            Assert.NotEmpty(nonce);
            nonces.Add(nonce);
            var html = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var importMap = ImportMapTag().Match(html);
                Assert.True(importMap.Success, html);
                Assert.Contains($"nonce=\"{nonce}\"", WebUtility.HtmlDecode(importMap.Value), StringComparison.Ordinal);
                Assert.DoesNotContain("onerror=", html, StringComparison.Ordinal);
            }
        }
        Assert.Equal(nonces.Count, nonces.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task The_api_reference_page_gets_its_own_policy()
    {
        using var http = _server.CreateHttpClient(null);
        using var response = await http.GetAsync("scalar/v1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCommonHeaders(response);
        Assert.Contains("script-src 'self' 'unsafe-inline'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hsts_is_sent_over_https_only()
    {
        Assert.False((await _server.CreateHttpClient().GetAsync("healthz")).Headers.Contains("Strict-Transport-Security"));

        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Tracker:Database:Provider", "Sqlite");
            b.UseSetting("ConnectionStrings:Tracker", $"Data Source={Path.Combine(_server.DataDir, "https.db")}");
            b.UseSetting("Tracker:DataDir", _server.DataDir);
            b.UseSetting("Tracker:AdminKey", TrackerServer.AdminKey);
            b.UseEnvironment("Testing");
        });
        using var https = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        using var response = await https.GetAsync("healthz");
        Assert.Equal("max-age=31536000", Header(response, "Strict-Transport-Security"));
        AssertCommonHeaders(response);
    }

    [Fact]
    public async Task The_policy_is_a_setting()
    {
        await _server.RestartAsync(
            new Dictionary<string, string?>
            {
                ["Tracker:SecurityHeaders:ContentSecurityPolicy"] = "default-src 'self'; script-src 'self' 'nonce-{nonce}'",
                ["Tracker:SecurityHeaders:ReportOnly"] = "true",
            }
        );
        using var http = _server.CreateHttpClient(null);
        using var response = await http.GetAsync("login");
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.Matches("^default-src 'self'; script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'$", Header(response, "Content-Security-Policy-Report-Only"));
    }

    private static void AssertCommonHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{name} missing on {response.RequestMessage?.RequestUri} ({(int)response.StatusCode})");

    [GeneratedRegex("<script[^>]*importmap[^>]*>")]
    private static partial Regex ImportMapTag();

    [GeneratedRegex("'nonce-([A-Za-z0-9+/=]+)'")]
    private static partial Regex NonceSource();
}
