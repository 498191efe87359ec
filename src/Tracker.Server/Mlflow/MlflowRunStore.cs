using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Mlflow;

/// <summary>Loads runs (tracked, for changes) with what MLflow shows of them.</summary>
internal static class MlflowRunStore
{
    public static async Task<MlflowRunView> LoadAsync(TrackerDbContext db, string runId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (run, project) = await FindAsync(db, runId, user, cancellationToken);
        var tags = await db.RunTags.AsNoTracking().Where(t => t.RunId == runId).Select(t => t.Tag).ToListAsync(cancellationToken);
        var series = await db.Series.AsNoTracking().Where(s => s.RunId == runId).ToListAsync(cancellationToken);
        return new MlflowRunView(run, project, tags, series);
    }

    /// <summary>The run (tracked) and its project; RESOURCE_DOES_NOT_EXIST or PERMISSION_DENIED otherwise.</summary>
    public static async Task<(RunEntity Run, ProjectEntity Project)> FindAsync(
        TrackerDbContext db,
        string runId,
        ClaimsPrincipal user,
        CancellationToken cancellationToken
    )
    {
        var row = await db.Runs.Where(r => r.Id == runId).Select(r => new { Run = r, r.Project }).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
            throw MlflowException.NotFound($"Run with id={runId} not found");
        MlflowExperimentStore.CheckAccess(row.Project!, user);
        return (row.Run, row.Project!);
    }

    public static void RequireActive(RunEntity run)
    {
        if (run.MlflowDeletedMs is not null)
        {
            throw MlflowException.Invalid($"The run {run.Id} must be in the 'active' state. Current state is deleted.");
        }
    }

    /// <summary>Every run of the experiments with its tags and series, for search (evaluated in memory).</summary>
    public static async Task<List<MlflowRunView>> LoadManyAsync(
        TrackerDbContext db,
        IReadOnlyCollection<ProjectEntity> projects,
        MlflowViewType view,
        CancellationToken cancellationToken
    )
    {
        var ids = projects.Select(p => p.Id).ToList();
        var byId = projects.ToDictionary(p => p.Id);
        var runs = await db
            .Runs.AsNoTracking()
            .Where(r => ids.Contains(r.ProjectId))
            .Where(r => (view.Active && r.MlflowDeletedMs == null) || (view.Deleted && r.MlflowDeletedMs != null))
            .ToListAsync(cancellationToken);
        var runIds = runs.Select(r => r.Id).ToList();
        var tags = (await db.RunTags.AsNoTracking().Where(t => runIds.Contains(t.RunId)).ToListAsync(cancellationToken)).ToLookup(t => t.RunId, t => t.Tag);
        var series = (await db.Series.AsNoTracking().Where(s => runIds.Contains(s.RunId)).ToListAsync(cancellationToken)).ToLookup(s => s.RunId);
        return runs.Select(r => new MlflowRunView(r, byId[r.ProjectId], tags[r.Id].ToList(), series[r.Id].ToList())).ToList();
    }
}
