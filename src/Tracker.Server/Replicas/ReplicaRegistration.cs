using StackExchange.Redis;
using Tracker.Server.Hosting;

namespace Tracker.Server.Replicas;

/// <summary>What changes when replicas share a Redis (<c>Tracker:Redis</c>): the live hub's Redis backplane and the
/// cache-invalidation channel. Without it nothing is registered beyond the local invalidations.</summary>
internal static class ReplicaRegistration
{
    public static void AddTrackerReplicas(this IHostApplicationBuilder builder, TrackerOptions options)
    {
        var services = builder.Services;
        services.AddSingleton<ReplicaInvalidations>();
        if (string.IsNullOrWhiteSpace(options.Redis))
            return;
        services.AddHostedService(sp => sp.GetRequiredService<ReplicaInvalidations>());
        var prefix = ReplicaChannels.Prefix(builder.Configuration);
        services
            .AddSignalR()
            .AddStackExchangeRedis(options.Redis, o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix);
                o.Configuration.AbortOnConnectFail = false;
            });
    }
}
