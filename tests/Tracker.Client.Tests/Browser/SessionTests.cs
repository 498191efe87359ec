using Microsoft.Playwright;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

/// <summary>Cookie sign-in: the key never reaches the page's scripts, the page's API calls and hub ride on the session,
/// sign-out and a revoked key end it.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SessionTests(DashboardFixture fx) : BrowserTest(fx)
{
    private const string MeStatus = "async () => (await fetch('api/v1/me')).status";
    private const string HubNegotiateStatus = "async () => (await fetch('hubs/runs/negotiate?negotiateVersion=1', { method: 'POST' })).status";

    [Fact]
    public async Task Signed_in_page_cannot_read_the_key_calls_the_api_with_its_session_and_sign_out_ends_it()
    {
        var admin = Fx.Admin;
        var run = await admin.CreateRunAsync("session", new CreateRunRequest(Name: "session-run"));
        var created = await admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read, Project: "session"));

        var page = await Fx.SignedInPageAsync(created.Key);
        // The printed link's key left the address bar; the page says what the session may do.
        Assert.DoesNotContain("key=", page.Url, StringComparison.Ordinal);
        Assert.Contains("read-only key of project 'session'", await page.Locator("#signed-in").TextContentAsync(), StringComparison.Ordinal);

        var readable = await page.EvaluateAsync<string>(
            "() => [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join('|')"
        );
        Assert.DoesNotContain(created.Key, readable, StringComparison.Ordinal);
        Assert.DoesNotContain("tracker.session", readable, StringComparison.Ordinal);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "tracker.session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(created.Key, cookie.Value, StringComparison.Ordinal);

        // The dashboard's requests and its live hub work with the session alone; the key's project binding carries over.
        await page.GotoAsync($"runs/{run.Id}");
        await page.WaitForSelectorAsync("#run-name");
        Assert.Equal("session-run", (await page.Locator("#run-name").TextContentAsync())?.Trim());
        Assert.Equal(
            ApiKeyScope.Read.ToString(),
            await page.EvaluateAsync<string>("async () => (await (await fetch('api/v1/me')).json()).scope"),
            ignoreCase: true
        );
        Assert.Equal(403, await page.EvaluateAsync<int>("async () => (await fetch('api/v1/projects/other/runs')).status"));
        Assert.Equal(200, await page.EvaluateAsync<int>(HubNegotiateStatus));

        await page.ClickAsync("#sign-out");
        await page.WaitForSelectorAsync("#signed-out");
        Assert.Equal(401, await page.EvaluateAsync<int>(MeStatus));
        Assert.Equal(401, await page.EvaluateAsync<int>(HubNegotiateStatus));
        await page.GotoAsync($"runs/{run.Id}");
        await page.WaitForSelectorAsync("#sign-in-needed");
        Assert.Equal(1, await page.Locator("#sign-in-link").CountAsync());
    }

    [Fact]
    public async Task Revoking_the_key_ends_the_browser_session()
    {
        var admin = Fx.Admin;
        var created = await admin.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Write));
        var run = await admin.CreateRunAsync("session", new CreateRunRequest(Name: "before"));
        var page = await Fx.SignedInPageAsync(created.Key);
        Assert.Equal(200, await page.EvaluateAsync<int>(MeStatus));

        // The session writes from its own origin; a write that the browser marks as sent by another origin (another
        // port of the same host is the same site, which SameSite=Strict lets through) is refused.
        Assert.Equal(200, await PatchNameAsync(page, run.Id, "same-origin"));
        Assert.Equal(401, await PatchNameAsync(page, run.Id, "same-site"));
        Assert.Equal(
            200,
            await page.EvaluateAsync<int>(
                "async id => (await fetch(`api/v1/runs/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{\"name\":\"from-page\"}' })).status",
                run.Id
            )
        );
        Assert.Equal("from-page", (await admin.GetRunAsync(run.Id)).Name);

        await admin.DeleteKeyAsync(created.Info.Id);
        Assert.Equal(401, await page.EvaluateAsync<int>(MeStatus));
        await page.GotoAsync("");
        await page.WaitForSelectorAsync("#sign-in-needed");
        await page.GotoAsync("login");
        await page.WaitForSelectorAsync("#api-key");
        Assert.Equal(0, await page.Locator("#signed-in").CountAsync());
    }

    private static async Task<int> PatchNameAsync(IPage page, string runId, string fetchSite)
    {
        var response = await page.APIRequest.PatchAsync(
            $"api/v1/runs/{runId}",
            new()
            {
                Headers = new Dictionary<string, string> { ["Sec-Fetch-Site"] = fetchSite },
                DataObject = new { name = "renamed-" + fetchSite },
            }
        );
        return response.Status;
    }

    [Fact]
    public async Task The_sign_in_form_exchanges_a_key_for_a_session_and_refuses_an_unknown_key()
    {
        var context = await Fx.NewContextAsync(new() { BaseURL = Fx.Server.BaseAddress.ToString() });
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("login");
            await page.FillAsync("#api-key", "trk_not_a_key");
            await page.ClickAsync("#sign-in");
            await page.WaitForSelectorAsync("#sign-in-error");
            Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "tracker.session");

            await page.FillAsync("#api-key", Tracker.TestSupport.TrackerServer.AdminKey);
            await page.ClickAsync("#sign-in");
            await page.WaitForSelectorAsync("#signed-in");
            Assert.Equal(200, await page.EvaluateAsync<int>(MeStatus));
            await page.ClickAsync("#open-dashboard");
            await page.WaitForSelectorAsync("#projects, #no-projects");
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
