using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Tracker.Server.Hosting;

namespace Tracker.Server.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (or Basic with the key as password, as MLflow clients send),
/// or else the dashboard's session cookie (<see cref="BrowserSession"/>), whose key is looked up again on each request;
/// answers 401/403 as problem+json.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request.Headers.Authorization.ToString()) ?? ReadHubQueryKey(Request);
        if (key is null)
        {
            return await AuthenticateSessionAsync().ConfigureAwait(false);
        }
        var (info, throttled) = await keys.FindAsync(key, Context.Connection.RemoteIpAddress, Context.RequestAborted).ConfigureAwait(false);
        if (throttled)
            return Throttled();
        return info is null ? AuthenticateResult.Fail("unknown API key") : Success(info);
    }

    private AuthenticateResult Throttled()
    {
        Context.Items[KeyLookupThrottled] = true;
        return AuthenticateResult.Fail("too many key look-ups from this address");
    }

    /// <summary>The session cookie's key, looked up again (so a deleted key ends the session within the store's negative
    /// cache time, at once on this replica); a cookie sent by a page of another origin may not change anything.</summary>
    private async Task<AuthenticateResult> AuthenticateSessionAsync()
    {
        var session = await Context.AuthenticateAsync(BrowserSession.Scheme).ConfigureAwait(false);
        if (session.Principal?.FindFirstValue(BrowserSession.KeyHash) is not { Length: > 0 } hash)
        {
            return AuthenticateResult.NoResult();
        }
        if (BrowserSession.IsCrossOriginWrite(Request))
        {
            return AuthenticateResult.Fail("a session cookie sent by another origin may not change anything");
        }
        var (info, throttled) = await keys.FindByHashAsync(hash, Context.Connection.RemoteIpAddress, Context.RequestAborted).ConfigureAwait(false);
        if (throttled)
            return Throttled();
        return info is null ? AuthenticateResult.Fail("the session's API key was revoked") : Success(info);
    }

    private static AuthenticateResult Success(ApiKeyInfo info)
    {
        List<Claim> claims = [new(TrackerClaims.KeyId, info.Id), new(TrackerClaims.Scope, info.Scope.ToString())];
        if (info.ProjectName is not null)
        {
            claims.Add(new Claim(TrackerClaims.Project, info.ProjectName));
            claims.Add(new Claim(TrackerClaims.ProjectId, info.ProjectId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        var identity = new ClaimsIdentity(claims, TrackerClaims.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), TrackerClaims.Scheme));
    }

    /// <summary>Browsers cannot set headers on a WebSocket: for the live hub (<c>/hubs/...</c>) only, the key may come as
    /// <c>?access_token=</c>, as SignalR's <c>AccessTokenProvider</c> sends it.</summary>
    internal static string? ReadHubQueryKey(HttpRequest request) =>
        request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase) && request.Query["access_token"].ToString() is { Length: > 0 } token
            ? token.Trim()
            : null;

    internal static string? ReadKey(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || string.IsNullOrWhiteSpace(value.Parameter))
        {
            return null;
        }
        if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return value.Parameter.Trim();
        }
        if (value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 ? decoded[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary><see cref="HttpContext.Items"/> flag: the key was not looked up because the caller's address has made
    /// too many look-ups of uncached keys; the challenge answers 429 instead of 401.</summary>
    internal const string KeyLookupThrottled = "tracker.key-lookup-throttled";

    internal static bool IsThrottled(HttpContext context) => context.Items.ContainsKey(KeyLookupThrottled);

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (IsThrottled(Context))
        {
            return RequestRateLimits.RejectAsync(Context, TimeSpan.FromSeconds(1));
        }
        Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults
            .Problem(
                title: "Unauthorized",
                detail: "Send an API key as 'Authorization: Bearer <key>'; the key was missing or unknown.",
                statusCode: StatusCodes.Status401Unauthorized,
                extensions: new Dictionary<string, object?> { ["field"] = "Authorization" }
            )
            .ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Forbidden(Context, $"This {Context.User.KeyScope().ToString().ToLowerInvariant()} key may not {Request.Method} {Request.Path}.").ExecuteAsync(Context);

    internal static ProblemHttpResult Forbidden(HttpContext context, string detail) =>
        TypedResults.Problem(
            title: "Forbidden",
            detail: detail,
            statusCode: StatusCodes.Status403Forbidden,
            extensions: new Dictionary<string, object?> { ["field"] = "Authorization" }
        );
}
