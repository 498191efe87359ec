using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Tracker.Server.Storage;

namespace Tracker.Server.Auth;

/// <summary>Resolves keys by hash with a short cache (30 s), so the ingest path does not hit the database
/// per request; records last use at most once a minute per key.</summary>
internal sealed class ApiKeyStore(IServiceScopeFactory scopes, IMemoryCache cache, TimeProvider time)
{
    private static readonly TimeSpan Positive = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Negative = TimeSpan.FromSeconds(5);
    private const long TouchEveryMs = 60_000;

    /// <summary>The key <paramref name="key"/>, or null when no such key exists.</summary>
    public ValueTask<ApiKeyInfo?> FindAsync(string key, CancellationToken cancellationToken) =>
        FindByHashAsync(ApiKeySecrets.Hash(key), cancellationToken);

    /// <summary>The key whose SHA-256 is <paramref name="hash"/> (a browser session holds only the hash).</summary>
    public async ValueTask<ApiKeyInfo?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(CacheKey(hash), out ApiKeyInfo? cached))
        {
            return cached;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var info = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Hash == hash)
            .Select(k => new ApiKeyInfo(k.Id, k.Scope, k.ProjectId, k.Project != null ? k.Project.Name : null, k.LastUsedMs))
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (info is not null && (info.LastUsedMs is null || now - info.LastUsedMs > TouchEveryMs))
        {
            await db.ApiKeys.Where(k => k.Id == info.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedMs, now), cancellationToken).ConfigureAwait(false);
            info = info with { LastUsedMs = now };
        }
        cache.Set(CacheKey(hash), info, info is null ? Negative : Positive);
        return info;
    }

    /// <summary>Forgets a deleted key at once (on this replica; others within the cache lifetime).</summary>
    public void Forget(string hash) => cache.Remove(CacheKey(hash));

    private static string CacheKey(string hash) => "apikey:" + hash;
}
