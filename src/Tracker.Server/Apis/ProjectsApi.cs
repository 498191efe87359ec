using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Sdk.Contracts;
using Tracker.Server.Auth;
using Tracker.Server.Hosting;
using Tracker.Server.Runs;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Apis;

/// <summary><c>/api/v1/projects</c>: create, list and read projects.</summary>
internal static class ProjectsApi
{
    public static RouteGroupBuilder MapProjectsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/projects").WithTags("Projects");
        group
            .MapPost("/", CreateProject)
            .WithName("CreateProject")
            .WithSummary("Create a project.")
            .Accepts<CreateProjectRequest>("application/json")
            .RequireAuthorization(TrackerClaims.WritePolicy);
        group
            .MapGet("/", ListProjects)
            .WithName("ListProjects")
            .WithSummary("List projects with run counts and latest activity, by name; paged by limit and cursor.");
        group.MapGet("/{project}", GetProject).WithName("GetProject").WithSummary("Read one project.");
        group
            .MapPatch("/{project}", UpdateProject)
            .WithName("UpdateProject")
            .WithSummary("Change the description or the analysis defaults of a project.")
            .Accepts<UpdateProjectRequest>("application/json")
            .RequireAuthorization(TrackerClaims.WritePolicy);
        return api;
    }

    internal static async Task<Results<Created<ProjectDto>, ValidationProblem, ProblemHttpResult>> CreateProject(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        var (body, problem) = await JsonBody.ReadAsync(request, Sdk.Contracts.TrackerJsonContext.Default.CreateProjectRequest, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        if (string.IsNullOrEmpty(body.Name) || !SlugRule.IsValid(body.Name))
        {
            return ApiProblems.Field("name", SlugRule.Description);
        }
        if (body.Description is { Length: > 2000 })
        {
            return ApiProblems.Field("description", "is longer than 2000 characters");
        }
        if (!user.CanAccessProject(body.Name))
        {
            return ApiProblems.Forbidden($"This key is bound to project '{user.BoundProject()}'.");
        }
        if (await db.Projects.AnyAsync(p => p.Name == body.Name, cancellationToken))
        {
            return ApiProblems.Conflict("name", $"Project '{body.Name}' already exists.");
        }
        var entity = new ProjectEntity
        {
            Name = body.Name,
            Description = body.Description,
            CreatedMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        db.Projects.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return ApiProblems.Conflict("name", $"Project '{body.Name}' already exists.");
        }
        return TypedResults.Created(
            $"/api/v1/projects/{entity.Name}",
            new ProjectDto(entity.Name, entity.Description, RunMapper.FromMs(entity.CreatedMs), 0, null)
        );
    }

    internal static async Task<Results<Ok<ProjectList>, ValidationProblem>> ListProjects(
        ClaimsPrincipal user,
        TrackerDbContext db,
        IOptions<TrackerOptions> options,
        CancellationToken cancellationToken,
        int? limit = null,
        string? cursor = null
    )
    {
        // Keyset paging on the name (the order of the list): the cursor is the last name of the page.
        var maxLimit = options.Value.Limits.MaxPageSize;
        var take = limit ?? maxLimit;
        if (take < 1 || take > maxLimit)
        {
            return ApiProblems.Field("limit", $"must be between 1 and {maxLimit}");
        }
        if (cursor is not null && !SlugRule.IsValid(cursor))
        {
            return ApiProblems.Field("cursor", "is not a cursor returned by this endpoint");
        }
        var bound = user.BoundProject();
#pragma warning disable CA1309, CA1310 // EF Core translates string.Compare to SQL's > in the column's collation, the ORDER BY's.
        var rows = await db
            .Projects.AsNoTracking()
            .Where(p => bound == null || p.Name == bound)
            .Where(p => cursor == null || string.Compare(p.Name, cursor) > 0)
            .OrderBy(p => p.Name)
            .Take(take + 1)
            .Select(p => new
            {
                p.Name,
                p.Description,
                p.CreatedMs,
                Count = p.Runs.Count,
                Last = p.Runs.Max(r => (long?)r.UpdatedMs),
                p.AnalysisDefaultsJson,
            })
            .ToListAsync(cancellationToken);
#pragma warning restore CA1309, CA1310
        return TypedResults.Ok(
            new ProjectList(
                rows.Select(p => new ProjectDto(
                        p.Name,
                        p.Description,
                        RunMapper.FromMs(p.CreatedMs),
                        p.Count,
                        p.Last is { } l ? RunMapper.FromMs(l) : null,
                        Json(p.AnalysisDefaultsJson)
                    ))
                    .Take(take)
                    .ToList(),
                rows.Count > take ? rows[take - 1].Name : null
            )
        );
    }

    internal static async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> GetProject(
        string project,
        ClaimsPrincipal user,
        TrackerDbContext db,
        CancellationToken cancellationToken
    )
    {
        if (!user.CanAccessProject(project))
        {
            return ApiProblems.Forbidden($"This key is bound to project '{user.BoundProject()}'.");
        }
        var p = await db
            .Projects.AsNoTracking()
            .Where(x => x.Name == project)
            .Select(x => new
            {
                x.Name,
                x.Description,
                x.CreatedMs,
                Count = x.Runs.Count,
                Last = x.Runs.Max(r => (long?)r.UpdatedMs),
                x.AnalysisDefaultsJson,
            })
            .FirstOrDefaultAsync(cancellationToken);
        return p is null
            ? ApiProblems.NotFound($"Project '{project}' does not exist.")
            : TypedResults.Ok(
                new ProjectDto(
                    p.Name,
                    p.Description,
                    RunMapper.FromMs(p.CreatedMs),
                    p.Count,
                    p.Last is { } l ? RunMapper.FromMs(l) : null,
                    Json(p.AnalysisDefaultsJson)
                )
            );
    }

    internal static async Task<Results<Ok<ProjectDto>, ValidationProblem, ProblemHttpResult>> UpdateProject(
        string project,
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        Replicas.ReplicaInvalidations invalidations,
        CancellationToken cancellationToken
    )
    {
        if (!user.CanAccessProject(project))
            return ApiProblems.Forbidden($"This key is bound to project '{user.BoundProject()}'.");
        var (body, problem) = await JsonBody.ReadAsync(request, Sdk.Contracts.TrackerJsonContext.Default.UpdateProjectRequest, cancellationToken);
        if (body is null)
            return problem!;
        if (body.Description is { Length: > 2000 })
            return ApiProblems.Field("description", "is longer than 2000 characters");
        if (body.AnalysisDefaults is { } defaults)
        {
            if (defaults.ValueKind != System.Text.Json.JsonValueKind.Object)
                return ApiProblems.Field("analysisDefaults", "must be a JSON object of tracker.analysis settings");
            if (Analysis.AnalysisSettings.CheckEntry(defaults) is { } bad)
                return ApiProblems.Field("analysisDefaults", bad);
        }
        var entity = await db.Projects.Include(p => p.Runs).FirstOrDefaultAsync(p => p.Name == project, cancellationToken);
        if (entity is null)
            return ApiProblems.NotFound($"Project '{project}' does not exist.");
        if (body.Description is not null)
            entity.Description = body.Description;
        if (body.AnalysisDefaults is { } d)
        {
            entity.AnalysisDefaultsJson = d.EnumerateObject().Any() ? d.GetRawText() : null;
        }
        await db.SaveChangesAsync(cancellationToken);
        if (body.AnalysisDefaults is not null)
        {
            // The project's analyzers, on every replica, are rebuilt with the new defaults on their next point or read.
            await invalidations.AnalysisResetAsync([.. entity.Runs.Select(r => r.Id)]);
        }
        return TypedResults.Ok(
            new ProjectDto(
                entity.Name,
                entity.Description,
                RunMapper.FromMs(entity.CreatedMs),
                entity.Runs.Count,
                entity.Runs.Count == 0 ? null : RunMapper.FromMs(entity.Runs.Max(r => r.UpdatedMs)),
                Json(entity.AnalysisDefaultsJson)
            )
        );
    }

    private static System.Text.Json.JsonElement? Json(string? json) => json is null ? null : System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>The project named <paramref name="name"/>, created on first use like W&amp;B does.</summary>
    internal static async Task<ProjectEntity> GetOrCreateAsync(TrackerDbContext db, string name, long nowMs, CancellationToken cancellationToken)
    {
        var existing = await db.Projects.FirstOrDefaultAsync(p => p.Name == name, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }
        var entity = new ProjectEntity { Name = name, CreatedMs = nowMs };
        db.Projects.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return entity;
        }
        catch (DbUpdateException)
        {
            // Another request created it first.
            db.Entry(entity).State = EntityState.Detached;
            return await db.Projects.FirstAsync(p => p.Name == name, cancellationToken);
        }
    }
}
