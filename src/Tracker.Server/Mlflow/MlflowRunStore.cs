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
    /// <summary>The runs of <paramref name="projects"/> in <paramref name="view"/>, with their native tags and their
    /// series only when asked (a search loads them for every run only when its filter or order needs them, and then
    /// completes the page's runs with <see cref="CompleteAsync"/>).</summary>
    public static async Task<List<MlflowRunView>> LoadManyAsync(
        TrackerDbContext db,
        IReadOnlyCollection<ProjectEntity> projects,
        MlflowViewType view,
        CancellationToken cancellationToken,
        bool withTags = true,
        bool withSeries = true
    )
    {
        var ids = projects.Select(p => p.Id).ToList();
        var byId = projects.ToDictionary(p => p.Id);
        var runs = await db
            .Runs.AsNoTracking()
            .Where(r => ids.Contains(r.ProjectId))
            .Where(r => (view.Active && r.MlflowDeletedMs == null) || (view.Deleted && r.MlflowDeletedMs != null))
            .ToListAsync(cancellationToken);
        return await WithDetailsAsync(db, runs, r => byId[r.ProjectId], withTags, withSeries, cancellationToken);
    }

    /// <summary>The same runs with their native tags and series.</summary>
    public static Task<List<MlflowRunView>> CompleteAsync(TrackerDbContext db, IReadOnlyList<MlflowRunView> views, CancellationToken cancellationToken)
    {
        var projects = views.ToDictionary(v => v.Run.Id, v => v.Project, StringComparer.Ordinal);
        return WithDetailsAsync(db, [.. views.Select(v => v.Run)], r => projects[r.Id], withTags: true, withSeries: true, cancellationToken);
    }

    private static async Task<List<MlflowRunView>> WithDetailsAsync(
        TrackerDbContext db,
        List<RunEntity> runs,
        Func<RunEntity, ProjectEntity> projectOf,
        bool withTags,
        bool withSeries,
        CancellationToken cancellationToken
    )
    {
        var runIds = runs.Select(r => r.Id).ToList();
        var tags = withTags
            ? (await db.RunTags.AsNoTracking().Where(t => runIds.Contains(t.RunId)).ToListAsync(cancellationToken)).ToLookup(t => t.RunId, t => t.Tag)
            : Array.Empty<RunTagEntity>().ToLookup(t => t.RunId, t => t.Tag);
        var series = withSeries
            ? (await db.Series.AsNoTracking().Where(s => runIds.Contains(s.RunId)).ToListAsync(cancellationToken)).ToLookup(s => s.RunId)
            : Array.Empty<MetricSeriesEntity>().ToLookup(s => s.RunId);
        return runs.Select(r => new MlflowRunView(r, projectOf(r), tags[r.Id].ToList(), series[r.Id].ToList())).ToList();
    }
}
