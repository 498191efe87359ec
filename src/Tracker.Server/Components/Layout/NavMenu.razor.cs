using Microsoft.AspNetCore.Components;

namespace Tracker.Server.Components.Layout;

/// <summary>The header's links: sign in, or sign out (a POST form with an antiforgery token) when the browser has a session.</summary>
public sealed partial class NavMenu
{
    /// <summary>The request (the layout is rendered on the server).</summary>
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }
}
