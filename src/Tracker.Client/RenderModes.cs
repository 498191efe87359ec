using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Tracker.Client;

/// <summary>Render modes of the dashboard's pages.</summary>
public static class RenderModes
{
    /// <summary>Interactive in the browser, not prerendered: the pages read through the browser's <c>HttpClient</c> (with
    /// the session cookie) and open the hub from the browser.</summary>
    public static readonly IComponentRenderMode Live = new InteractiveWebAssemblyRenderMode(prerender: false);

    /// <summary>The run page on a full page load: prerendered by the server (its HTML holds its data, read through
    /// <see cref="Pages.IRunPageSnapshots"/>, before any script runs), then interactive from the same data (persisted
    /// component state): in the browser when the WebAssembly runtime is cached, otherwise at once over a server circuit
    /// while the runtime downloads for the next page (<see cref="InteractiveAutoRenderMode"/>, a browser's first
    /// visit).</summary>
    public static readonly IComponentRenderMode Prerendered = new InteractiveAutoRenderMode(prerender: true);

    /// <summary>The run page after an in-app (enhanced) navigation: prerendered, then interactive in the browser, where the
    /// WebAssembly runtime already runs the page the user came from; the persisted state reaches it there.</summary>
    public static readonly IComponentRenderMode PrerenderedInBrowser = new InteractiveWebAssemblyRenderMode(prerender: true);
}
