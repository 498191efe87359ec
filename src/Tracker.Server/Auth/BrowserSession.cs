using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Tracker.Server.Auth;

/// <summary>The dashboard's sign-in: an API key exchanged for an HttpOnly, <c>SameSite=Strict</c> cookie that holds only
/// the key's hash (encrypted by ASP.NET Core data protection). <see cref="ApiKeyAuthenticationHandler"/> looks the key up
/// again on each request (through <see cref="ApiKeyStore"/>'s short cache), so the session has the key's current scope and
/// project binding and ends when the key is deleted.</summary>
internal static class BrowserSession
{
    /// <summary>The cookie authentication scheme.</summary>
    public const string Scheme = "TrackerSession";

    /// <summary>The cookie's name.</summary>
    public const string CookieName = "tracker.session";

    /// <summary>The claim that holds the SHA-256 of the session's key.</summary>
    public const string KeyHash = "tracker:key_hash";

    /// <summary>Signs the browser in with <paramref name="key"/>; false (and nothing set) when the key is unknown.</summary>
    public static async Task<bool> SignInAsync(HttpContext context, string key)
    {
        key = key.Trim();
        if (key.Length == 0)
            return false;
        var keys = context.RequestServices.GetRequiredService<ApiKeyStore>();
        if ((await keys.FindAsync(key, context.Connection.RemoteIpAddress, context.RequestAborted)).Info is null)
            return false;
        var identity = new ClaimsIdentity([new Claim(KeyHash, ApiKeySecrets.Hash(key))], Scheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
        return true;
    }

    /// <summary>Ends the browser's session (deletes the cookie).</summary>
    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);

    /// <summary>True when the request came from a page of another site (or of another origin of this site); such a
    /// request may read with the session but not change anything with it (a second fence after <c>SameSite=Strict</c>:
    /// another port of the same host is the same site).</summary>
    public static bool IsCrossOriginWrite(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        && request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site
        && site is not ("same-origin" or "none");
}
