namespace Tracker.Server.Replicas;

/// <summary><c>Tracker:Cluster</c>: the Orleans cluster the replicas form when <c>Tracker:Redis</c> is set (membership
/// on that Redis). Nothing here is needed on one machine: ports are picked free.</summary>
public sealed class ReplicaClusterOptions
{
    /// <summary>Port for silo-to-silo traffic; 0 (the default) picks a free one.</summary>
    public int SiloPort { get; set; }

    /// <summary>Port for Orleans clients; 0 (the default) runs no gateway (the replicas need none).</summary>
    public int GatewayPort { get; set; }

    /// <summary>The address other replicas reach this one at; unset, the host's first non-loopback address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The cluster's name on the shared Redis; unset, derived from the database name, so deployments sharing a
    /// Redis but not a database form separate clusters.</summary>
    public string? ClusterId { get; set; }
}
