using Microsoft.EntityFrameworkCore;
using Tracker.Server.Storage;

namespace Tracker.Server.Runs;

/// <summary>Deletes every metric row of a run (points, rollups, series, batch sequence numbers); the caller owns the transaction.</summary>
internal static class RunMetricsPurge
{
    public static async Task DeleteAsync(TrackerDbContext db, string runId, CancellationToken cancellationToken)
    {
        var seriesIds = db.Series.Where(s => s.RunId == runId).Select(s => s.Id);
        await db.Points.Where(p => seriesIds.Contains(p.SeriesId)).ExecuteDeleteAsync(cancellationToken);
        await db.Rollups.Where(r => seriesIds.Contains(r.SeriesId)).ExecuteDeleteAsync(cancellationToken);
        await db.Series.Where(s => s.RunId == runId).ExecuteDeleteAsync(cancellationToken);
        await db.Batches.Where(b => b.RunId == runId).ExecuteDeleteAsync(cancellationToken);
    }
}
