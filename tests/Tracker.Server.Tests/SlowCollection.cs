namespace Tracker.Server.Tests;

/// <summary>The multi-server tests (replicas as processes or in process, server kills, PostgreSQL restarts) run one class
/// at a time, after every other collection: each starts several servers on the 2 cores, and the scaled deployment's
/// latency bounds (push p95 &lt; 300 ms, revocation within 1 s) are not measured while another of them kills or restarts
/// its own servers beside it (CI saw push p95 700 ms, p50 25 ms, at load 6 with two of them in parallel).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SlowCollection
{
    /// <summary>The collection's name, for <c>[Collection]</c>.</summary>
    public const string Name = "Multi-server (one at a time)";
}
