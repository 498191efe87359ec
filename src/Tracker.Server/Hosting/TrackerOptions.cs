namespace Tracker.Server.Hosting;

/// <summary>The <c>Tracker</c> configuration section.</summary>
public sealed class TrackerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Tracker";

    /// <summary>What this replica does: <c>all</c> (default), or any of <c>api</c> and <c>worker</c> (comma list).</summary>
    public ServerRoles Roles { get; set; } = ServerRoles.All;

    /// <summary>Redis (<c>host:port</c>) shared by the replicas of a deployment: the live hub's backplane and the
    /// cache-invalidation channel. Unset (the default): one process, nothing shared.</summary>
    public string? Redis { get; set; }

    /// <summary>The replicas' Orleans cluster (used only with <see cref="Redis"/>).</summary>
    public Replicas.ReplicaClusterOptions Cluster { get; set; } = new();

    /// <summary>The effective roles (<see cref="ServerRoles.None"/> counts as all).</summary>
    public ServerRoles EffectiveRoles => Roles == ServerRoles.None ? ServerRoles.All : Roles;

    /// <summary>Folder for the embedded database and other local state.</summary>
    public string DataDir { get; set; } = "./.tracker-data";

    /// <summary>When set, this key is the admin key; otherwise one is generated at first start.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Database settings.</summary>
    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Ingest limits.</summary>
    public IngestOptions Ingest { get; set; } = new();

    /// <summary>Run liveness settings.</summary>
    public RunLivenessOptions Runs { get; set; } = new();

    /// <summary>Online analysis settings.</summary>
    public AnalysisOptions Analysis { get; set; } = new();

    /// <summary>Hosted experiment settings.</summary>
    public ExperimentOptions Experiments { get; set; } = new();

    /// <summary>Per-run data and page-size limits.</summary>
    public LimitOptions Limits { get; set; } = new();

    /// <summary>Request rate limits per API key and per remote address.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Embedded SQLite settings.</summary>
    public SqliteOptions Sqlite { get; set; } = new();

    /// <summary>Artifact store settings (blob backend and limits).</summary>
    public Artifacts.ArtifactOptions Artifacts { get; set; } = new();

    /// <summary>The live hub.</summary>
    public Hubs.HubOptions Hub { get; set; } = new();

    /// <summary>Metrics and traces (OpenTelemetry, Prometheus, OTLP).</summary>
    public Telemetry.TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Security headers on every response (Content-Security-Policy, frame, sniffing, referrer, HSTS).</summary>
    public SecurityHeaderOptions SecurityHeaders { get; set; } = new();
}

/// <summary>The <c>Tracker:Experiments</c> section.</summary>
public sealed class ExperimentOptions
{
    /// <summary>Experiments run at once by this server (default: one per core).</summary>
    public int Concurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>How long a claimed job stays owned without a renewal before another worker may restart it; the worker
    /// renews every sixth of it (at most every 500 ms), so a lease outlives several missed renewals.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Starts of one job (first run plus restarts after interruptions) before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Most runs one sweep may launch.</summary>
    public int MaxSweepRuns { get; set; } = 256;

    /// <summary>Wall-clock limit of one attempt of an experiment; past it the run ends failed, with an event saying why.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Largest estimated memory of one experiment (parameters, solver state, activations, data set), in bytes.</summary>
    public long MaxMemoryBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Most experiments of one project queued or running at once; a launch past it is refused with 429.</summary>
    public int MaxQueuedPerProject { get; set; } = 64;
}

/// <summary>Which database the server uses.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded SQLite file under the data directory (default).</summary>
    Sqlite,

    /// <summary>PostgreSQL through Npgsql (production).</summary>
    Postgres,
}

/// <summary>The <c>Tracker:Database</c> section.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Sqlite (default) or Postgres; the connection string is <c>ConnectionStrings:Tracker</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}

/// <summary>The <c>Tracker:Ingest</c> section.</summary>
public sealed class IngestOptions
{
    /// <summary>Most points in one batch.</summary>
    public int MaxPointsPerBatch { get; set; } = 10_000;

    /// <summary>Largest request body of one batch, in bytes.</summary>
    public int MaxBatchBytes { get; set; } = 8 * 1024 * 1024;
}

/// <summary>The <c>Tracker:Runs</c> section.</summary>
public sealed class RunLivenessOptions
{
    /// <summary>A running run without a heartbeat for this long is marked crashed.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the crashed-run sweep runs.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The <c>Tracker:Analysis</c> section.</summary>
public sealed class AnalysisOptions
{
    /// <summary>Runs the convergence analyzers on every ingested batch (on by default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>An analyzer idle this long is dropped from memory; it is rebuilt from stored points when needed.</summary>
    public TimeSpan IdleEviction { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest wait of a batch that overtook the batch numbered before it (the SDK keeps two requests in flight,
    /// and they may commit in either order): the analyzers read each series in step order, so the earlier batch is
    /// observed first when it comes within this time.</summary>
    public TimeSpan OrderWait { get; set; } = TimeSpan.FromMilliseconds(250);
}
