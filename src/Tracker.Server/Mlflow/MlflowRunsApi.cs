using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tracker.Sdk.Contracts;
using Tracker.Server.Auth;
using Tracker.Server.Runs;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Mlflow;

/// <summary><c>runs/create|get|update|delete|restore|search</c> of MLflow's tracking API, over Tracker runs.</summary>
internal static class MlflowRunsApi
{
    public static void Map(RouteGroupBuilder mlflow, string name)
    {
        var g = mlflow.MapGroup("/runs").WithTags("MLflow runs");
        g.MapPost("/create", Create).WithName(name + "CreateRun").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapGet("/get", Get).WithName(name + "GetRun");
        g.MapPost("/update", Update).WithName(name + "UpdateRun").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapPost("/delete", Delete).WithName(name + "DeleteRun").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapPost("/restore", Restore).WithName(name + "RestoreRun").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapPost("/search", MlflowRunSearch.Search).WithName(name + "SearchRuns");
        g.MapPost("/log-metric", MlflowLoggingApi.LogMetric).WithName(name + "LogMetric").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapPost("/log-batch", MlflowLoggingApi.LogBatch).WithName(name + "LogBatch").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapPost("/log-parameter", MlflowLoggingApi.LogParameter).WithName(name + "LogParameter").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapPost("/set-tag", MlflowLoggingApi.SetTag).WithName(name + "SetTag").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapPost("/delete-tag", MlflowLoggingApi.DeleteTag).WithName(name + "DeleteTag").RequireAuthorization(TrackerClaims.WritePolicy);
    }

    internal static async Task<IResult> Create(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        RunLifecycle lifecycle,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var project = await MlflowExperimentStore.FindAsync(db, args.String("experiment_id"), user, now, cancellationToken);
        if (MlflowExperimentStore.IsDeleted(project))
        {
            throw MlflowException.Invalid($"The experiment {MlflowExperimentStore.IdOf(project)} must be in the 'active' state. Current state is deleted.");
        }
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in args.Objects("tags", out var tagCount))
        {
            var key = MlflowLimits.Key(MlflowArgs.ReadString(tag, "key"), "tag");
            tags[key] = MlflowLimits.Value(MlflowArgs.ReadString(tag, "value"), MlflowLimits.MaxTagValueLength, "tag", key);
        }
        var runName = args.String("run_name");
        if (tags.Remove(MlflowRunView.RunNameTag, out var tagName))
        {
            if (runName is not null && runName != tagName)
            {
                throw MlflowException.Invalid(
                    $"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{runName}', mlflow.runName='{tagName}')."
                );
            }
            runName ??= tagName;
        }
        if (runName is { Length: > MlflowLimits.MaxRunNameLength })
            throw MlflowException.Invalid($"Run name is longer than {MlflowLimits.MaxRunNameLength} characters.");
        tags.Remove(MlflowRunView.NoteTag, out var notes);
        var userId = args.String("user_id") ?? tags.GetValueOrDefault(MlflowRunView.UserTag);
        var start = args.Int64("start_time") ?? now;
        var ordinal = await db.Runs.CountAsync(r => r.ProjectId == project.Id, cancellationToken) + 1;
        var run = new RunEntity
        {
            Id = RunIdentity.NewId(),
            ProjectId = project.Id,
            Name = string.IsNullOrEmpty(runName) ? RunIdentity.NewName(ordinal) : runName,
            Notes = notes,
            State = RunState.Running,
            CreatedMs = start,
            UpdatedMs = now,
            HeartbeatMs = now,
            MlflowUserId = userId is { Length: > 250 } ? userId[..250] : userId,
            MlflowTagsJson = MlflowExperimentStore.TagsJson(tags),
        };
        run.Tags = tags.Select(kv => MlflowRunView.NativeMirror(kv.Key, kv.Value))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Take(Apis.RunValidation.MaxTags)
            .Select(t => new RunTagEntity { RunId = run.Id, Tag = t })
            .ToList();
        await lifecycle.CreateAsync(project.Name, [run], "run created (MLflow API)", cancellationToken);
        var view = new MlflowRunView(run, project, run.Tags.Select(t => t.Tag).ToList(), []);
        return MlflowJson.Write(w =>
        {
            w.WriteStartObject("run");
            view.Write(w);
            w.WriteEndObject();
        });
    }

    internal static async Task<IResult> Get(HttpRequest request, ClaimsPrincipal user, TrackerDbContext db, CancellationToken cancellationToken)
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var view = await MlflowRunStore.LoadAsync(db, args.RunId(), user, cancellationToken);
        return MlflowJson.Write(w =>
        {
            w.WriteStartObject("run");
            view.Write(w);
            w.WriteEndObject();
        });
    }

    internal static async Task<IResult> Update(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        RunLifecycle lifecycle,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var (run, project) = await MlflowRunStore.FindAsync(db, args.RunId(), user, cancellationToken);
        MlflowRunStore.RequireActive(run);
        RunState? state = args.String("status") is { Length: > 0 } status ? MlflowRunView.StateOf(status) : null;
        var end = args.Int64("end_time");
        if (end is { } e && (state ?? run.State) != RunState.Running)
            run.EndedMs = e;
        if (args.String("run_name") is { Length: > 0 } name)
        {
            if (name.Length > MlflowLimits.MaxRunNameLength)
                throw MlflowException.Invalid($"Run name is longer than {MlflowLimits.MaxRunNameLength} characters.");
            run.Name = name;
        }
        run.UpdatedMs = now;
        run.HeartbeatMs = now;
        var message = state == RunState.Running ? "run resumed (MLflow API)" : $"run {(state is { } s ? RunLifecycle.StateName(s) : "")} (MLflow API)";
        await lifecycle.SaveAsync(run, project.Name, state, message, cancellationToken, endedMs: end);
        var view = new MlflowRunView(run, project, [], []);
        return MlflowJson.Write(w =>
        {
            w.WriteStartObject("run_info");
            view.WriteInfo(w);
            w.WriteEndObject();
        });
    }

    internal static Task<IResult> Delete(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken
    ) => SetDeletedAsync(request, user, db, time, deleted: true, cancellationToken);

    internal static Task<IResult> Restore(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken
    ) => SetDeletedAsync(request, user, db, time, deleted: false, cancellationToken);

    /// <summary>MLflow deletion is soft (restorable): the run keeps its data and stays visible in Tracker.</summary>
    private static async Task<IResult> SetDeletedAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        bool deleted,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var (run, _) = await MlflowRunStore.FindAsync(db, args.RunId(), user, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        run.MlflowDeletedMs = deleted ? now : null;
        run.UpdatedMs = now;
        await db.SaveChangesAsync(cancellationToken);
        return MlflowJson.Empty;
    }
}
