using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Sdk.Contracts;
using Tracker.Server.Analysis;
using Tracker.Server.Auth;
using Tracker.Server.Storage;

namespace Tracker.Server.Apis;

/// <summary>The analyzers' view of a run and of a project.</summary>
internal static class AnalysisApi
{
    public static RouteGroupBuilder MapAnalysisApi(this RouteGroupBuilder api)
    {
        api.MapGet("/runs/{id}/analysis", GetRunAnalysis)
            .WithTags("Analysis")
            .WithName("GetRunAnalysis")
            .WithSummary("Pattern label, early-stopping advice, stopping criteria, convergence rate and gradient health of a run.");
        api.MapGet("/projects/{project}/analysis", GetProjectAnalysis)
            .WithTags("Analysis")
            .WithName("GetProjectAnalysis")
            .WithSummary("Label counts and the runs per label, to triage a sweep at a glance.");
        return api;
    }

    internal static async Task<Results<Ok<RunAnalysisDto>, ProblemHttpResult>> GetRunAnalysis(
        string id,
        ClaimsPrincipal user,
        TrackerDbContext db,
        IRunAnalysis analyzers,
        CancellationToken cancellationToken
    )
    {
        var loaded = await RunsApi.LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        return TypedResults.Ok(await analyzers.GetAsync(id, cancellationToken));
    }

    internal static async Task<Results<Ok<ProjectAnalysisDto>, ProblemHttpResult>> GetProjectAnalysis(
        string project,
        ClaimsPrincipal user,
        TrackerDbContext db,
        CancellationToken cancellationToken
    )
    {
        if (!user.CanAccessProject(project))
            return ApiProblems.Forbidden($"This key is bound to project '{user.BoundProject()}'.");
        var projectId = await db.Projects.Where(p => p.Name == project).Select(p => (long?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (projectId is null)
            return ApiProblems.NotFound($"Project '{project}' does not exist.");
        var runs = await db
            .Runs.AsNoTracking()
            .Where(r => r.ProjectId == projectId)
            .Select(r => new
            {
                r.Id,
                r.Name,
                r.State,
                r.PatternLabel,
                r.PatternConfidence,
                r.ShouldStop,
            })
            .ToListAsync(cancellationToken);
        var byLabel = runs.GroupBy(r => r.PatternLabel ?? "insufficient_data").OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(
            new ProjectAnalysisDto(
                byLabel.ToDictionary(g => g.Key, g => g.Count()),
                byLabel.ToDictionary(
                    g => g.Key,
                    g =>
                        (IReadOnlyList<ProjectAnalysisRunDto>)
                            g.OrderByDescending(r => r.PatternConfidence)
                                .Select(r => new ProjectAnalysisRunDto(r.Id, r.Name, r.State, r.PatternConfidence ?? 0, r.ShouldStop))
                                .ToList()
                )
            )
        );
    }
}
