using Tracker.Client.Charts;
using Tracker.Client.Pages;
using Tracker.Client.Services;

namespace Tracker.Server.Components;

/// <summary>What the dashboard's prerendered pages (the run page) need on the server.</summary>
internal static class DashboardPrerendering
{
    /// <summary>Registers the run page's server-side reads and the browser services its components inject. Those are never
    /// called while prerendering (the interactive page calls them in the browser), so the server's instances are inert: the
    /// API client points nowhere reachable, and the hub connection is only opened by an interactive page.</summary>
    public static IServiceCollection AddDashboardPrerendering(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<IRunPageSnapshots, RunPageSnapshots>();
        services.AddScoped(_ => new TrackerApi(new Uri("http://prerendering.invalid/")));
        services.AddScoped<LiveConnection>();
        services.AddScoped<ChartUpdatePacer>();
        return services;
    }
}
