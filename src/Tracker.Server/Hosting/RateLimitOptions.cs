namespace Tracker.Server.Hosting;

/// <summary>The <c>Tracker:RateLimits</c> section: token buckets per API key (authenticated requests) and per remote
/// address (requests without a valid key), on the API, MLflow and hub paths. Over the limit: 429 with <c>Retry-After</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>On by default; false turns every limit off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per second one API key may make, sustained.</summary>
    public int PerKeyPerSecond { get; set; } = 500;

    /// <summary>Requests one API key may make in a burst above the sustained rate.</summary>
    public int PerKeyBurst { get; set; } = 2000;

    /// <summary>Requests per second one remote address may make without a valid key.</summary>
    public int PerAddressPerSecond { get; set; } = 50;

    /// <summary>Requests one remote address may make in a burst without a valid key.</summary>
    public int PerAddressBurst { get; set; } = 200;

    /// <summary>Database look-ups of keys not in the cache, per second and remote address: unknown keys cannot cost
    /// more than this many queries; a client past it is answered 429 before its key is looked up.</summary>
    public int KeyLookupsPerAddressPerSecond { get; set; } = 20;

    /// <summary>Most API keys (known and unknown) the authentication cache holds.</summary>
    public int KeyCacheSize { get; set; } = 10_000;
}
