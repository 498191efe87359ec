using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

/// <summary>The keys page (<c>/keys</c>) against the real server: an admin creates a key, sees its secret once, the secret
/// works on the REST API, revoking it through the page makes the API refuse it; the session's own key is marked and
/// revoking it ends the session; a write key gets the "needs an admin key" state; axe finds nothing in either theme.</summary>
[Collection(DashboardCollection.Name)]
public sealed class KeysPageTests(DashboardFixture fx) : BrowserTest(fx)
{
    private static readonly string[] Wcag = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    [Theory]
    [InlineData(ColorScheme.Light, "")]
    [InlineData(ColorScheme.Dark, "-dark")]
    public async Task Keys_page_creates_a_key_shows_its_secret_once_and_revokes_it(ColorScheme scheme, string suffix)
    {
        var admin = Fx.Admin;
        var me = await admin.WhoAmIAsync();
        var project = "keys-page" + suffix;
        var name = "ci-runner" + suffix;
        var page = await Fx.SignedInPageAsync(width: 1280, height: 900, colorScheme: scheme);

        await page.GotoAsync("");
        await page.WaitForSelectorAsync("#projects, #no-projects");
        await page.ClickAsync("#keys-link");
        await page.WaitForSelectorAsync("#keys");
        await page.WaitForFunctionAsync("t => document.title === t", "Keys · Tracker");
        // The dashboard's own key is marked.
        await page.WaitForSelectorAsync($"tr[data-key='{me.KeyId}'] .this-session");
        Assert.Equal(1, await page.Locator(".this-session").CountAsync());

        // Inline validation: a key needs a name; a project must be a slug; the expiry must lie in the future.
        await page.FillAsync("#key-project", "Not A Slug");
        await page.ClickAsync("#create-submit");
        await page.WaitForSelectorAsync("#key-name-error");
        Assert.Equal("true", await page.GetAttributeAsync("#key-name", "aria-invalid"));
        Assert.Equal("key-name-error", await page.GetAttributeAsync("#key-name", "aria-describedby"));
        Assert.Contains("slug", await page.Locator("#key-project-error").TextContentAsync(), StringComparison.Ordinal);
        await page.WaitForSelectorAsync("#create-error");

        var expires = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);
        await page.FillAsync("#key-name", name);
        await page.SelectOptionAsync("#key-scope", "Write");
        await page.FillAsync("#key-project", project);
        await page.FillAsync("#key-expires", expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.ClickAsync("#create-submit");
        await page.WaitForSelectorAsync("#new-key-secret");
        Assert.Equal(0, await page.Locator("#key-name-error").CountAsync());
        Assert.Contains("not be shown again", await page.Locator("#new-key-warning").TextContentAsync(), StringComparison.Ordinal);
        var secret = await page.InputValueAsync("#new-key-secret");
        Assert.NotNull(await page.GetAttributeAsync("#new-key-secret", "readonly"));

        // The new row: name, scope, project, expiry.
        var created = Assert.Single((await admin.ListKeysAsync()).Keys, k => k.Name == name);
        Assert.Equal(ApiKeyScope.Write, created.Scope);
        Assert.Equal(project, created.Project);
        Assert.Equal(new DateTimeOffset(expires.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), created.ExpiresAt);
        Assert.StartsWith($"trk_{created.Id}_", secret, StringComparison.Ordinal);
        var row = page.Locator($"tr[data-key='{created.Id}']");
        await row.WaitForAsync();
        var cells = await row.Locator("td").AllTextContentsAsync();
        Assert.Contains(name, cells[0], StringComparison.Ordinal);
        Assert.Equal("write", cells[1].Trim());
        Assert.Equal(project, cells[2].Trim());
        Assert.DoesNotContain("never", cells[4], StringComparison.Ordinal);
        Assert.Equal("never", cells[5].Trim());
        Assert.Equal("all projects", (await page.Locator($"tr[data-key='{me.KeyId}'] td").Nth(2).TextContentAsync())?.Trim());

        // The secret works on the REST API.
        using var http = new HttpClient { BaseAddress = Fx.Server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(http, secret));
        var identity = await TrackerClient.Create(Fx.Server.BaseAddress, secret).WhoAmIAsync();
        Assert.Equal((created.Id, ApiKeyScope.Write, project), (identity.KeyId, identity.Scope, identity.Project));

        // The revoke step asks first; the key being revoked is not this session's, so no sign-out warning.
        await page.ClickAsync($"#revoke-{created.Id}");
        await page.WaitForSelectorAsync("#revoke-confirm");
        Assert.Equal(0, await page.Locator("#revoke-own-warning").CountAsync());
        Assert.Contains(name, await page.Locator("#revoke-question").TextContentAsync(), StringComparison.Ordinal);

        // axe, with everything the page can show on screen: the secret, the table, the confirmation.
        var axe = await page.RunAxe(
            new AxeRunOptions
            {
                RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Wcag] },
            }
        );
        var violations = axe.Violations.Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}").ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        var (scrollWidth, clientWidth) = await page.EvaluateAsync<int[]>(
            "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        ) switch
        {
            [var s, var c] => (s, c),
            _ => (-1, -1),
        };
        Assert.True(scrollWidth <= clientWidth, $"the keys page scrolls sideways: {scrollWidth} > {clientWidth}");
        await DashboardFixture.ScreenshotAsync(page, "keys" + suffix);

        // Cancel, then revoke for real: the row goes and the API refuses the secret.
        await page.ClickAsync("#revoke-cancel");
        await page.WaitForSelectorAsync("#revoke-confirm", new() { State = WaitForSelectorState.Detached });
        Assert.Equal(HttpStatusCode.OK, await MeStatusAsync(http, secret));
        await page.ClickAsync($"#revoke-{created.Id}");
        await page.ClickAsync("#revoke-confirm-button");
        await row.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(http, secret));
        Assert.DoesNotContain((await admin.ListKeysAsync()).Keys, k => k.Id == created.Id);

        // The secret was shown once: dismissed, it is gone, and the page never shows it again.
        await page.ClickAsync("#new-key-done");
        await page.WaitForSelectorAsync("#new-key-secret", new() { State = WaitForSelectorState.Detached });
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("#keys");
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Revoking_the_sessions_own_key_warns_and_ends_the_session()
    {
        var own = await Fx.Admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Admin, Name: "own-session"));
        var page = await Fx.SignedInPageAsync(own.Key);
        await page.GotoAsync("keys");
        await page.WaitForSelectorAsync($"tr[data-key='{own.Info.Id}'] .this-session");
        Assert.Equal(1, await page.Locator(".this-session").CountAsync());

        await page.ClickAsync($"#revoke-{own.Info.Id}");
        await page.WaitForSelectorAsync("#revoke-own-warning");
        Assert.Contains("ends this session", await page.Locator("#revoke-own-warning").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("Revoke and sign out", (await page.Locator("#revoke-confirm-button").TextContentAsync())?.Trim());
        await page.ClickAsync("#revoke-confirm-button");

        // The sign-in page, without a session; the API refuses the key.
        await page.WaitForSelectorAsync("#api-key");
        Assert.Equal(0, await page.Locator("#signed-in").CountAsync());
        Assert.Equal(401, await page.EvaluateAsync<int>("async () => (await fetch('api/v1/me')).status"));
        using var http = new HttpClient { BaseAddress = Fx.Server.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, await MeStatusAsync(http, own.Key));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_write_key_sees_that_the_page_needs_an_admin_key()
    {
        var write = await Fx.Admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Write, Name: "not-admin"));
        var page = await Fx.SignedInPageAsync(write.Key);
        await page.GotoAsync("keys");
        await page.WaitForSelectorAsync("#needs-admin");
        Assert.Contains("needs an admin key", await page.Locator("#needs-admin").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#keys, #create-key, #keys-error").CountAsync());
        // The header links to the page only for an admin key.
        Assert.Equal(0, await page.Locator("#keys-link").CountAsync());
        Assert.Equal(1, await page.Locator("#sign-out").CountAsync());
        await page.Context.CloseAsync();
    }

    private static async Task<HttpStatusCode> MeStatusAsync(HttpClient http, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
