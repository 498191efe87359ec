using System.Text.Json.Serialization;
using Tracker.Sdk.Contracts;
using Tracker.Server.Auth;
using Tracker.Server.Hubs;
using Tracker.Server.Ingest;

namespace Tracker.Server.Hosting;

/// <summary>The live dashboard's server side: the SignalR hub, the ingest observer that feeds it, the run-events publisher.</summary>
internal static class LiveDashboardRegistration
{
    public static IServiceCollection AddLiveDashboard(this IServiceCollection services)
    {
        services
            .AddSignalR()
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, LiveJsonContext.Default);
                o.PayloadSerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            });
        services.AddSingleton<LiveSubscriptions>();
        services.AddSingleton<HubKeyConnections>();
        services.AddSingleton<HubKeySweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<HubKeySweeper>());
        services.AddSingleton<IIngestObserver, LiveBroadcaster>();
        services.AddSingleton<IRunEvents, HubRunEvents>();
        services.AddSingleton<Analysis.IVerdictListener, VerdictBroadcaster>();
        return services;
    }

    public static IEndpointRouteBuilder MapLiveDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHub<RunsHub>(LiveHub.Path).RequireAuthorization(TrackerClaims.ReadPolicy);
        return app;
    }
}
