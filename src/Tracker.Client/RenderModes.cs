using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Tracker.Client;

/// <summary>Render modes of the dashboard's pages.</summary>
public static class RenderModes
{
    /// <summary>Interactive in the browser, not prerendered: the pages read through the browser's <c>HttpClient</c> (with
    /// the session cookie) and open the hub, which only the browser can do.</summary>
    public static readonly IComponentRenderMode Live = new InteractiveWebAssemblyRenderMode(prerender: false);
}
