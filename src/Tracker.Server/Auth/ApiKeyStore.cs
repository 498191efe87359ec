using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Tracker.Server.Hosting;
using Tracker.Server.Storage;

namespace Tracker.Server.Auth;

/// <summary>Resolves keys by hash with a short cache (30 s known, 5 s unknown), so the ingest path does not hit the
/// database per request; records last use at most once a minute per key. The cache holds at most
/// <see cref="RateLimitOptions.KeyCacheSize"/> keys, and look-ups that miss it are limited per remote address
/// (<see cref="RateLimitOptions.KeyLookupsPerAddressPerSecond"/>), so a stream of made-up keys costs neither unbounded
/// memory nor unbounded queries.</summary>
internal sealed class ApiKeyStore : IDisposable
{
    private static readonly TimeSpan Positive = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Negative = TimeSpan.FromSeconds(5);
    private const long TouchEveryMs = 60_000;

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly MemoryCache _cache;
    private readonly PartitionedRateLimiter<string>? _lookups;

    public ApiKeyStore(IServiceScopeFactory scopes, IOptions<TrackerOptions> options, TimeProvider time)
    {
        _scopes = scopes;
        _time = time;
        var limits = options.Value.RateLimits;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, limits.KeyCacheSize) });
        if (limits.Enabled)
        {
            var perSecond = Math.Max(1, limits.KeyLookupsPerAddressPerSecond);
            _lookups = PartitionedRateLimiter.Create<string, string>(address =>
                RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                })
            );
        }
    }

    /// <summary>The key's record, or null when unknown; <c>Throttled</c> when the key was not cached and
    /// <paramref name="address"/> has used up its look-ups (the key was not looked up).</summary>
    public ValueTask<(ApiKeyInfo? Info, bool Throttled)> FindAsync(string key, IPAddress? address, CancellationToken cancellationToken) =>
        FindByHashAsync(ApiKeySecrets.Hash(key), address, cancellationToken);

    /// <summary>The key whose SHA-256 is <paramref name="hash"/> (a browser session holds only the hash); null when
    /// unknown, <c>Throttled</c> as in <see cref="FindAsync"/>.</summary>
    public async ValueTask<(ApiKeyInfo? Info, bool Throttled)> FindByHashAsync(string hash, IPAddress? address, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(CacheKey(hash), out ApiKeyInfo? cached))
        {
            return (cached is not null && cached.ExpiredAt(_time.GetUtcNow().ToUnixTimeMilliseconds()) ? null : cached, false);
        }
        if (_lookups is not null)
        {
            using var lease = _lookups.AttemptAcquire(address?.ToString() ?? "unknown");
            if (!lease.IsAcquired)
                return (null, true);
        }
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var info = await db
            .ApiKeys.AsNoTracking()
            .Where(k => k.Hash == hash)
            .Select(k => new ApiKeyInfo(k.Id, k.Scope, k.ProjectId, k.Project != null ? k.Project.Name : null, k.LastUsedMs, k.ExpiresMs))
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (info is not null && info.ExpiredAt(now))
            info = null;
        if (info is not null && (info.LastUsedMs is null || now - info.LastUsedMs > TouchEveryMs))
        {
            await db
                .ApiKeys.Where(k => k.Id == info.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedMs, now), cancellationToken)
                .ConfigureAwait(false);
            info = info with { LastUsedMs = now };
        }
        _cache.Set(CacheKey(hash), info, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = info is null ? Negative : Positive });
        return (info, false);
    }

    /// <summary>Forgets a deleted key at once (on this replica; others within the cache lifetime).</summary>
    public void Forget(string hash) => _cache.Remove(CacheKey(hash));

    /// <summary>Keys currently cached (for tests of the bound).</summary>
    public int CachedCount => _cache.Count;

    public void Dispose()
    {
        _cache.Dispose();
        _lookups?.Dispose();
    }

    private static string CacheKey(string hash) => string.Create(CultureInfo.InvariantCulture, $"apikey:{hash}");
}
