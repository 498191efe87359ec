using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Tracker.Server.Storage;

namespace Tracker.Server.Runs;

/// <summary>Which project a run belongs to, cached (a run never changes project), for the ingest path's key check.</summary>
internal sealed class RunProjectLookup(IServiceScopeFactory scopes, IMemoryCache cache)
{
    public async ValueTask<string?> FindAsync(string runId, CancellationToken cancellationToken)
    {
        var cacheKey = "runproject:" + runId;
        if (cache.TryGetValue(cacheKey, out string? project))
        {
            return project;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        project = await db.Runs.Where(r => r.Id == runId).Select(r => r.Project!.Name).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (project is not null)
        {
            cache.Set(cacheKey, project, TimeSpan.FromMinutes(10));
        }
        return project;
    }

    /// <summary>Forgets a deleted run.</summary>
    public void Forget(string runId) => cache.Remove("runproject:" + runId);
}
