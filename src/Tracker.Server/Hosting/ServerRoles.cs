namespace Tracker.Server.Hosting;

/// <summary>What one replica does (<c>Tracker:Roles</c>: <c>all</c>, or a comma list of <c>api</c> and <c>worker</c>).</summary>
[Flags]
public enum ServerRoles
{
    /// <summary>Nothing (not a valid configuration; treated as <see cref="All"/>).</summary>
    None = 0,

    /// <summary>Serves the REST and MLflow APIs, ingest, the live hub and the dashboard; never runs hosted experiments.</summary>
    Api = 1,

    /// <summary>Runs the hosted-experiment queue (workers, leases, recovery); serves only health probes and metrics.</summary>
    Worker = 2,

    /// <summary>Everything in one process (the default).</summary>
    All = Api | Worker,
}
