using System.Net;
using System.Net.Sockets;
using Orleans.Configuration;
using StackExchange.Redis;
using Tracker.Server.Analysis;
using Tracker.Server.Hosting;

namespace Tracker.Server.Replicas;

/// <summary>What changes when replicas share a Redis (<c>Tracker:Redis</c>): the live hub's Redis backplane, the
/// cache-invalidation channel, and an Orleans silo whose grains own each run's analyzers (membership on the same Redis).
/// Without it the local <see cref="AnalyzerHost"/> owns every run and nothing else is registered.</summary>
internal static class ReplicaRegistration
{
    public static void AddTrackerReplicas(this IHostApplicationBuilder builder, TrackerOptions options)
    {
        var services = builder.Services;
        services.AddSingleton<ReplicaInvalidations>();
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            services.AddSingleton<IRunAnalysis>(sp => sp.GetRequiredService<AnalyzerHost>());
            return;
        }
        services.AddHostedService(sp => sp.GetRequiredService<ReplicaInvalidations>());
        var prefix = ReplicaChannels.Prefix(builder.Configuration);
        services
            .AddSignalR()
            .AddStackExchangeRedis(options.Redis, o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix);
                o.Configuration.AbortOnConnectFail = false;
            });
        services.AddSingleton<IRunAnalysis, GrainRunAnalysis>();
        var cluster = options.Cluster;
        var redis = options.Redis;
        builder.UseOrleans(silo =>
        {
            silo.UseRedisClustering(redis);
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId ?? prefix.TrimEnd(':').Replace(':', '-');
                o.ServiceId = "tracker";
            });
            var siloPort = cluster.SiloPort > 0 ? cluster.SiloPort : FreePort();
            if (cluster.AdvertisedAddress is { Length: > 0 } address)
                silo.ConfigureEndpoints(IPAddress.Parse(address), siloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            else
                silo.ConfigureEndpoints(siloPort, cluster.GatewayPort, AddressFamily.InterNetwork, listenOnAnyHostAddress: true);
            // A replica killed without shutdown is declared dead within seconds rather than the default's tens of seconds, so
            // its runs' grains come back on the others quickly (two votes still needed: a slow replica is not shot by one
            // peer); a grain call gives up after 10 s rather than 30.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 3;
            });
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        });
    }

    /// <summary>A port that is free now (the OS picks it; nothing holds it afterwards).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
