using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Tracker.Client;

/// <summary>Render modes of the dashboard's pages.</summary>
public static class RenderModes
{
    /// <summary>Interactive in the browser, not prerendered: the pages read through the browser's <c>HttpClient</c> (with
    /// the session cookie) and open the hub, which only the browser can do.</summary>
    public static readonly IComponentRenderMode Live = new InteractiveWebAssemblyRenderMode(prerender: false);

    /// <summary>Interactive in the browser, prerendered by the server first: the page's HTML holds its data (read on the
    /// server through <see cref="Pages.IRunPageSnapshots"/>) before any script runs, and the interactive page starts from
    /// the same data (persisted component state).</summary>
    public static readonly IComponentRenderMode Prerendered = new InteractiveWebAssemblyRenderMode(prerender: true);
}
