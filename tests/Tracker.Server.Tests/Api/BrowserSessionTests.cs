using System.Net;
using System.Text;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Tests.Api;

/// <summary>The dashboard's session cookie over plain HTTP: what <c>/login?key=</c> sets, what the cookie may do, and
/// that sign-out needs its antiforgery token (the browser side is <c>Tracker.Client.Tests.Browser.SessionTests</c>).</summary>
public abstract class BrowserSessionTests(ServerFixture fixture)
{
    private HttpClient Browser(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = fixture.Server.BaseAddress };

    [Fact]
    public async Task The_sign_in_link_sets_an_http_only_strict_cookie_that_carries_the_keys_scope_and_project()
    {
        var admin = fixture.Server.CreateClient();
        var created = await admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read, Project: "cookie-bound"));
        var cookies = new CookieContainer();
        using var http = Browser(cookies);

        using var signIn = await http.GetAsync($"login?key={Uri.EscapeDataString(created.Key)}");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/login", signIn.Headers.Location?.AbsolutePath);
        var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tracker.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(created.Key, setCookie, StringComparison.Ordinal);

        Assert.Contains("id=\"signed-in\"", await http.GetStringAsync("login"), StringComparison.Ordinal);
        using var me = await http.GetAsync("api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("cookie-bound", await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var write = await http.PostAsync("api/v1/projects/cookie-bound/runs", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);

        await admin.DeleteKeyAsync(created.Info.Id);
        using var revoked = await http.GetAsync("api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task An_unknown_key_gets_no_session_and_sign_out_needs_the_forms_antiforgery_token()
    {
        var cookies = new CookieContainer();
        using var http = Browser(cookies);
        using var unknown = await http.GetAsync("login?key=trk_not_a_key");
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains("id=\"sign-in-error\"", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(cookies.GetAllCookies(), c => c.Name == "tracker.session");

        using var signIn = await http.GetAsync($"login?key={Uri.EscapeDataString(Tracker.TestSupport.TrackerServer.AdminKey)}");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        using var forged = await http.PostAsync("logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("api/v1/me")).StatusCode);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresBrowserSessionTests(PostgresServerFixture fixture) : BrowserSessionTests(fixture), IClassFixture<PostgresServerFixture>;

[Trait("Store", "Sqlite")]
public sealed class SqliteBrowserSessionTests(SqliteServerFixture fixture) : BrowserSessionTests(fixture), IClassFixture<SqliteServerFixture>;
