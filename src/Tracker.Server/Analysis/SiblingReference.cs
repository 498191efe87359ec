using Microsoft.EntityFrameworkCore;
using Tracker.Server.Storage;

namespace Tracker.Server.Analysis;

/// <summary>The lowest training loss that a run's siblings reached: the other runs of its group, or of its project when it has
/// no group. Their last logged value of the run's loss series counts, for siblings with at least 20 points of it.</summary>
internal sealed class SiblingReference(IServiceScopeFactory scopes)
{
    /// <summary>How often a live run's reference is read again (siblings finish, new ones start).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>The siblings' best level of <paramref name="lossSeries"/>, or null when no sibling logged enough of it.</summary>
    public async Task<double?> BestAsync(string runId, string lossSeries, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var run = await db
            .Runs.AsNoTracking()
            .Where(r => r.Id == runId)
            .Select(r => new { r.ProjectId, r.Group })
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (run is null)
            return null;
        var siblings = db.Runs.AsNoTracking().Where(r => r.ProjectId == run.ProjectId && r.Id != runId);
        if (run.Group is not null)
            siblings = siblings.Where(r => r.Group == run.Group);
        return await db
            .Series.AsNoTracking()
            .Where(s => s.Key == lossSeries && s.Count >= 20 && s.LastValue != null)
            .Join(siblings, s => s.RunId, r => r.Id, (s, r) => s.LastValue)
            .MinAsync(cancellationToken)
            .ConfigureAwait(false);
    }
}
