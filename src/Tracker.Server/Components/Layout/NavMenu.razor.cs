using Microsoft.AspNetCore.Components;
using Tracker.Sdk.Contracts;
using Tracker.Server.Auth;

namespace Tracker.Server.Components.Layout;

/// <summary>The header's links: sign in, or sign out (a POST form with an antiforgery token) when the browser has a session;
/// the keys page's link for an admin key's session.</summary>
public sealed partial class NavMenu
{
    /// <summary>The request (the layout is rendered on the server).</summary>
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    /// <summary>True when the request's key (the session's) has the admin scope: only such a key can manage keys.</summary>
    private bool IsAdmin => HttpContext?.User is { Identity.IsAuthenticated: true } user && user.KeyScope() == ApiKeyScope.Admin;
}
