using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;
using Tracker.Server.Auth;
using Tracker.Server.Experiments;
using Tracker.Server.Runs;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Apis;

/// <summary><c>/api/v1/experiments</c>: the catalog of reference experiments, launching (single runs and sweeps), status and cancel.</summary>
internal static class ExperimentsApi
{
    public static RouteGroupBuilder MapExperimentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/experiments").WithTags("Experiments");
        group
            .MapGet("/catalog", GetCatalog)
            .WithName("GetExperimentCatalog")
            .WithSummary("Every solver, problem, schedule and preset with parameters, types, ranges and defaults.");
        group.MapGet("/{runId}", GetExperiment).WithName("GetExperiment").WithSummary("The job behind an experiment run.");
        group
            .MapPost("/{runId}/cancel", CancelExperiment)
            .WithName("CancelExperiment")
            .WithSummary("Cancel a queued or running experiment (run state killed).")
            .RequireAuthorization(TrackerClaims.WritePolicy);
        group
            .MapDelete("/{runId}", CancelExperiment)
            .WithName("DeleteExperiment")
            .WithSummary("Same as cancel.")
            .RequireAuthorization(TrackerClaims.WritePolicy);
        api.MapPost("/projects/{project}/experiments", LaunchExperiment)
            .WithTags("Experiments")
            .WithName("LaunchExperiment")
            .WithSummary(
                "Queue a reference experiment; a hyper-parameter given as a list launches a sweep (one run per combination). 400 names a parameter out of range or too large for the memory limit; 429 when the project's queue quota is full."
            )
            .Accepts<JsonObject>("application/json")
            .RequireAuthorization(TrackerClaims.WritePolicy);
        return api;
    }

    internal static IResult GetCatalog() => TypedResults.Json(ExperimentCatalog.Document, ExperimentJsonContext.Default.ExperimentCatalogDocument);

    internal static async Task<Results<Accepted<ExperimentLaunchResponse>, ValidationProblem, ProblemHttpResult>> LaunchExperiment(
        string project,
        HttpRequest request,
        ClaimsPrincipal user,
        ExperimentLauncher launcher,
        CancellationToken cancellationToken
    )
    {
        if (!SlugRule.IsValid(project))
            return ApiProblems.Field("project", SlugRule.Description);
        if (!user.CanAccessProject(project))
            return ApiProblems.Forbidden($"This key is bound to project '{user.BoundProject()}'.");
        if (!request.HasJsonContentType())
            return ApiProblems.Field("Content-Type", "must be application/json");
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject;
        }
        catch (JsonException e)
        {
            return ApiProblems.Field("$", e.Message);
        }
        if (body is null)
            return ApiProblems.Field("$", "must be a JSON object {solver, problem, hyperparameters, ...} or {preset}");
        var (launched, errors, quotaExceeded) = await launcher.LaunchAsync(project, body, cancellationToken);
        if (quotaExceeded is not null)
            return ApiProblems.TooManyRequests("project", quotaExceeded);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(
                errors,
                detail: string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
                title: "The experiment is invalid."
            );
        }
        return TypedResults.Accepted($"/api/v1/experiments/{launched!.RunId}", launched);
    }

    internal static async Task<Results<Ok<ExperimentJobDto>, ProblemHttpResult>> GetExperiment(
        string runId,
        ClaimsPrincipal user,
        TrackerDbContext db,
        CancellationToken cancellationToken
    )
    {
        var loaded = await RunsApi.LoadAsync(db, runId, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        var job = await db.ExperimentJobs.AsNoTracking().FirstOrDefaultAsync(j => j.RunId == runId, cancellationToken);
        return job is null ? ApiProblems.NotFound($"Run '{runId}' is not a hosted experiment.") : TypedResults.Ok(ToDto(job));
    }

    internal static async Task<Results<Accepted<ExperimentJobDto>, ProblemHttpResult>> CancelExperiment(
        string runId,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        RunLifecycle lifecycle,
        CancellationToken cancellationToken
    )
    {
        var loaded = await RunsApi.LoadAsync(db, runId, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // A queued job is cancelled here, with the run's state and its event; a running one is flagged and its worker
        // stops it within a lease renewal.
        var cancelledQueued = false;
        await lifecycle.MoveAsync(runId, RunState.Running, RunState.Killed, "experiment cancelled before it started", cancellationToken, related: async ct =>
            cancelledQueued =
                await db
                    .ExperimentJobs.Where(j => j.RunId == runId && j.State == ExperimentJobState.Queued)
                    .ExecuteUpdateAsync(j => j.SetProperty(x => x.State, ExperimentJobState.Cancelled).SetProperty(x => x.FinishedMs, now), ct) == 1
        );
        if (!cancelledQueued)
        {
            var flagged = await db
                .ExperimentJobs.Where(j => j.RunId == runId && j.State == ExperimentJobState.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), cancellationToken);
            if (flagged == 0)
            {
                var exists = await db.ExperimentJobs.AnyAsync(j => j.RunId == runId, cancellationToken);
                return exists
                    ? ApiProblems.Conflict("runId", $"Experiment '{runId}' has already ended.")
                    : ApiProblems.NotFound($"Run '{runId}' is not a hosted experiment.");
            }
        }
        var job = await db.ExperimentJobs.AsNoTracking().FirstAsync(j => j.RunId == runId, cancellationToken);
        return TypedResults.Accepted($"/api/v1/experiments/{runId}", ToDto(job));
    }

    private static ExperimentJobDto ToDto(ExperimentJobEntity job) =>
        new(
            job.RunId,
            job.State,
            job.Attempts,
            RunMapper.FromMs(job.CreatedMs),
            job.StartedMs is { } s ? RunMapper.FromMs(s) : null,
            job.FinishedMs is { } f ? RunMapper.FromMs(f) : null,
            job.Error is null ? null : job.Error.Split('\n')[0],
            JsonDocument.Parse(job.SpecJson).RootElement.Clone()
        );
}
