using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Sdk.Contracts;
using Tracker.Server.Auth;
using Tracker.Server.Hosting;
using Tracker.Server.Hubs;
using Tracker.Server.Runs;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Apis;

/// <summary><c>/api/v1/projects/{project}/runs</c> and <c>/api/v1/runs/{id}</c>: the run lifecycle.</summary>
internal static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this RouteGroupBuilder api)
    {
        var projectRuns = api.MapGroup("/projects/{project}/runs").WithTags("Runs");
        projectRuns
            .MapPost("/", CreateRun)
            .WithName("CreateRun")
            .WithSummary("Start a run (creates the project on first use).")
            .Accepts<CreateRunRequest>("application/json")
            .RequireAuthorization(TrackerClaims.WritePolicy);
        projectRuns.MapGet("/", RunQueries.ListRuns).WithName("ListRuns").WithSummary("List, filter and sort the runs of a project.");

        var runs = api.MapGroup("/runs").WithTags("Runs");
        runs.MapGet("/{id}", GetRun).WithName("GetRun").WithSummary("Read a run with its config and summary.");
        runs.MapPatch("/{id}", UpdateRun)
            .WithName("UpdateRun")
            .WithSummary("Change state, name, tags or notes; also a heartbeat.")
            .Accepts<UpdateRunRequest>("application/json")
            .RequireAuthorization(TrackerClaims.WritePolicy);
        runs.MapDelete("/{id}", DeleteRun)
            .WithName("DeleteRun")
            .WithSummary("Delete a run and all its points.")
            .RequireAuthorization(TrackerClaims.WritePolicy);
        runs.MapGet("/{id}/events", ListEvents)
            .WithName("ListRunEvents")
            .WithSummary("State changes and verdicts, oldest first; paged by limit (default and most: Tracker:Limits:MaxPageSize) and cursor.");
        return api;
    }

    internal static async Task<Results<Created<RunDto>, ValidationProblem, ProblemHttpResult>> CreateRun(
        string project,
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        RunLifecycle lifecycle,
        IOptions<TrackerOptions> options,
        CancellationToken cancellationToken
    )
    {
        if (!SlugRule.IsValid(project))
            return ApiProblems.Field("project", SlugRule.Description);
        if (!user.CanAccessProject(project))
            return ApiProblems.Forbidden($"This key is bound to project '{user.BoundProject()}'.");
        var (body, problem) = await JsonBody.ReadAsync(request, TrackerJsonContext.Default.CreateRunRequest, cancellationToken);
        if (body is null)
            return problem!;
        if (RunValidation.Check(body, options.Value.Limits) is { } bad)
            return ApiProblems.Field(bad.Field, bad.Message);
        if (body.Id is not null && await db.Runs.AnyAsync(r => r.Id == body.Id, cancellationToken))
        {
            return ApiProblems.Conflict("id", $"Run '{body.Id}' already exists; resume it with PATCH {{\"state\":\"running\"}}.");
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var projectEntity = await ProjectsApi.GetOrCreateAsync(db, project, now, cancellationToken);
        var ordinal = await db.Runs.CountAsync(r => r.ProjectId == projectEntity.Id, cancellationToken) + 1;
        var run = new RunEntity
        {
            Id = body.Id ?? RunIdentity.NewId(),
            ProjectId = projectEntity.Id,
            Name = body.Name ?? RunIdentity.NewName(ordinal),
            Group = body.Group,
            Notes = body.Notes,
            ConfigJson = body.Config is { ValueKind: JsonValueKind.Object } c ? c.GetRawText() : null,
            State = RunState.Running,
            CreatedMs = now,
            UpdatedMs = now,
            HeartbeatMs = now,
            Tags = (body.Tags ?? []).Distinct(StringComparer.Ordinal).Select(t => new RunTagEntity { RunId = "", Tag = t }).ToList(),
        };
        foreach (var tag in run.Tags)
            tag.RunId = run.Id;
        try
        {
            await lifecycle.CreateAsync(project, [run], "run created", cancellationToken);
        }
        catch (DbUpdateException)
        {
            // 409 only when a concurrent create of the same id won the race; any other database failure stays a 500, which
            // clients retry (an SDK that read "already exists" for a run that does not exist would give up on it).
            db.ChangeTracker.Clear();
            if (await db.Runs.AnyAsync(r => r.Id == run.Id, cancellationToken))
                return ApiProblems.Conflict("id", $"Run '{run.Id}' already exists.");
            throw;
        }
        return TypedResults.Created($"/api/v1/runs/{run.Id}", RunMapper.ToDto(run, project, run.Tags.Select(t => t.Tag), []));
    }

    internal static async Task<Results<Ok<RunDto>, ProblemHttpResult>> GetRun(
        string id,
        ClaimsPrincipal user,
        TrackerDbContext db,
        CancellationToken cancellationToken
    )
    {
        var loaded = await LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        return TypedResults.Ok(await ToDtoAsync(db, loaded.Run!, loaded.Project!, cancellationToken));
    }

    internal static async Task<Results<Ok<RunDto>, ValidationProblem, ProblemHttpResult>> UpdateRun(
        string id,
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        RunLifecycle lifecycle,
        IOptions<TrackerOptions> options,
        CancellationToken cancellationToken
    )
    {
        var (body, problem) = await JsonBody.ReadAsync(request, TrackerJsonContext.Default.UpdateRunRequest, cancellationToken);
        if (body is null)
            return problem!;
        if (RunValidation.Check(body, options.Value.Limits) is { } bad)
            return ApiProblems.Field(bad.Field, bad.Message);
        var loaded = await LoadAsync(db, id, user, tracking: true, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        var run = loaded.Run!;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (body.Name is not null)
            run.Name = body.Name;
        if (body.Notes is not null)
            run.Notes = body.Notes;
        if (body.Tags is not null)
        {
            // Tracked changes, so the tags commit with the state and its event.
            var wanted = body.Tags.Distinct(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
            var current = await db.RunTags.Where(t => t.RunId == run.Id).ToListAsync(cancellationToken);
            db.RunTags.RemoveRange(current.Where(t => !wanted.Contains(t.Tag)));
            wanted.ExceptWith(current.Select(t => t.Tag));
            db.RunTags.AddRange(wanted.Select(t => new RunTagEntity { RunId = run.Id, Tag = t }));
        }
        run.UpdatedMs = now;
        run.HeartbeatMs = now;
        var message = body.State == RunState.Running ? "run resumed" : $"run {(body.State is { } s ? StateName(s) : "")}";
        await lifecycle.SaveAsync(run, loaded.Project, body.State, message, cancellationToken, endedMs: now);
        return TypedResults.Ok(await ToDtoAsync(db, run, loaded.Project!, cancellationToken));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteRun(
        string id,
        ClaimsPrincipal user,
        TrackerDbContext db,
        Replicas.ReplicaInvalidations invalidations,
        Artifacts.ArtifactBlobs artifacts,
        CancellationToken cancellationToken
    )
    {
        var loaded = await LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        await invalidations.RunDeletedAsync(id);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await RunMetricsPurge.DeleteAsync(db, id, cancellationToken);
        await db.Runs.Where(r => r.Id == id).ExecuteDeleteAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        await invalidations.RunDeletedAsync(id); // again: an ingest may have rebuilt the analyzers meanwhile
        await artifacts.DeleteRunAsync(id, CancellationToken.None); // the rows went with the run (cascade)
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<RunEventList>, ValidationProblem, ProblemHttpResult>> ListEvents(
        string id,
        ClaimsPrincipal user,
        TrackerDbContext db,
        IOptions<TrackerOptions> options,
        CancellationToken cancellationToken,
        int? limit = null,
        string? cursor = null
    )
    {
        // Keyset paging on the event id (stable while events are appended): the cursor is the last id of the page.
        var maxLimit = options.Value.Limits.MaxPageSize;
        var take = limit ?? maxLimit;
        if (take < 1 || take > maxLimit)
            return ApiProblems.Field("limit", $"must be between 1 and {maxLimit}");
        var after = 0L;
        if (cursor is not null && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
            return ApiProblems.Field("cursor", "is not a cursor returned by this endpoint");
        var loaded = await LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        var events = await db.Events.AsNoTracking().Where(e => e.RunId == id && e.Id > after).OrderBy(e => e.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = events.Count > take ? events[take - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(
            new RunEventList(
                events.Take(take).Select(e => new RunEventDto(e.Id, RunMapper.FromMs(e.TimeMs), e.Kind, e.FromValue, e.ToValue, e.Message)).ToList(),
                next
            )
        );
    }

    internal static string StateName(RunState state) => RunLifecycle.StateName(state);

    /// <summary>The run as the API shows it: tags, series summary, and a hosted run's start (its job's, not its queueing).</summary>
    internal static async Task<RunDto> ToDtoAsync(TrackerDbContext db, RunEntity run, string project, CancellationToken cancellationToken) =>
        await ToDtoAsync(db, run, project, await db.Series.AsNoTracking().Where(s => s.RunId == run.Id).ToListAsync(cancellationToken), cancellationToken);

    /// <summary>The run as the API shows it (tags, series summary, a hosted run's start), from its series already read.</summary>
    internal static async Task<RunDto> ToDtoAsync(
        TrackerDbContext db,
        RunEntity run,
        string project,
        IReadOnlyList<MetricSeriesEntity> series,
        CancellationToken cancellationToken
    )
    {
        var tags = await db.RunTags.AsNoTracking().Where(t => t.RunId == run.Id).Select(t => t.Tag).ToListAsync(cancellationToken);
        var started = await db.ExperimentJobs.AsNoTracking().Where(j => j.RunId == run.Id).Select(j => j.StartedMs).FirstOrDefaultAsync(cancellationToken);
        return RunMapper.ToDto(run, project, tags, series, started);
    }

    /// <summary>Loads a run and checks the key may see its project: 404 when absent, 403 when another project's.</summary>
    internal static async Task<(RunEntity? Run, string? Project, ProblemHttpResult? Problem)> LoadAsync(
        TrackerDbContext db,
        string id,
        ClaimsPrincipal user,
        bool tracking,
        CancellationToken cancellationToken
    )
    {
        var query = tracking ? db.Runs : db.Runs.AsNoTracking();
        var row = await query.Where(r => r.Id == id).Select(r => new { Run = r, Project = r.Project!.Name }).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
            return (null, null, ApiProblems.NotFound($"Run '{id}' does not exist."));
        if (!user.CanAccessProject(row.Project))
        {
            return (null, null, ApiProblems.Forbidden(string.Create(CultureInfo.InvariantCulture, $"This key is bound to project '{user.BoundProject()}'.")));
        }
        return (row.Run, row.Project, null);
    }
}
