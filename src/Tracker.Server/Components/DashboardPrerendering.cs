using Tracker.Client.Charts;
using Tracker.Client.Pages;
using Tracker.Client.Services;

namespace Tracker.Server.Components;

/// <summary>What the dashboard's prerendered pages (the run page) need on the server: prerendering, and interactivity over a
/// server circuit.</summary>
internal static class DashboardPrerendering
{
    /// <summary>Registers the run page's server-side reads and the services its components inject. While prerendering the
    /// page reads through <see cref="IRunPageSnapshots"/>; when it is interactive over a server circuit, its API client and
    /// hub connection reach this server on loopback with the browser's session (<see cref="ServerDashboardEndpoint"/>).</summary>
    public static IServiceCollection AddDashboardPrerendering(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<IRunPageSnapshots, RunPageSnapshots>();
        services.AddScoped(ServerDashboardEndpoint.Create);
        services.AddScoped<TrackerApi>();
        services.AddScoped<LiveConnection>();
        services.AddScoped<ChartUpdatePacer>();
        return services;
    }
}
