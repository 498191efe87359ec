using Microsoft.AspNetCore.Components;
using Tracker.Client;

namespace Tracker.Server.Components.Pages;

/// <summary>The run page's render mode for a request: Auto on a full page load, the browser after an in-app navigation.</summary>
internal static class RunPageRenderMode
{
    /// <summary>The render mode of the run page (and of the head outlet, which must render where the page does).</summary>
    public static IComponentRenderMode For(HttpContext? http) => IsEnhancedNavigation(http) ? RenderModes.PrerenderedInBrowser : RenderModes.Prerendered;

    /// <summary>True for Blazor's enhanced (in-app) navigation fetch, which asks for <c>text/html; blazor-enhanced-nav=on</c>.</summary>
    public static bool IsEnhancedNavigation(HttpContext? http) =>
        http?.Request.Headers.Accept.ToString().Contains("blazor-enhanced-nav=on", StringComparison.OrdinalIgnoreCase) == true;
}
