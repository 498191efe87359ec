using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tracker.Sdk.Contracts;
using Tracker.Server.Auth;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Mlflow;

/// <summary><c>experiments/*</c> of MLflow's tracking API, over Tracker projects.</summary>
internal static class MlflowExperimentsApi
{
    public static void Map(RouteGroupBuilder mlflow, string name)
    {
        var g = mlflow.MapGroup("/experiments").WithTags("MLflow experiments");
        g.MapPost("/create", Create).WithName(name + "CreateExperiment").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapGet("/get", Get).WithName(name + "GetExperiment");
        g.MapGet("/get-by-name", GetByName).WithName(name + "GetExperimentByName");
        g.MapPost("/search", Search).WithName(name + "SearchExperiments");
        g.MapGet("/search", Search).WithName(name + "SearchExperimentsGet");
        g.MapGet("/list", Search).WithName(name + "ListExperiments").WithSummary("Removed from MLflow 2; older clients still call it.");
        g.MapPost("/update", Update).WithName(name + "UpdateExperiment").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapPost("/delete", Delete).WithName(name + "DeleteExperiment").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapPost("/restore", Restore).WithName(name + "RestoreExperiment").RequireAuthorization(TrackerClaims.WritePolicy);
        g.MapPost("/set-experiment-tag", SetTag).WithName(name + "SetExperimentTag").RequireAuthorization(TrackerClaims.WritePolicy);
    }

    internal static async Task<IResult> Create(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var name = args.Required("name");
        if (name.Length > MlflowLimits.MaxExperimentNameLength)
        {
            throw MlflowException.Invalid($"Experiment name exceeds the maximum length of {MlflowLimits.MaxExperimentNameLength} characters");
        }
        if (await MlflowExperimentStore.FindByNameAsync(db, name, cancellationToken) is { } existing)
        {
            throw new MlflowException(
                MlflowException.ResourceAlreadyExists,
                $"Experiment(name={name}) already exists.{(MlflowExperimentStore.IsDeleted(existing) ? " Error: Experiment is deleted; restore it or delete it permanently." : "")}"
            );
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in args.Objects("tags", out _))
        {
            var key = MlflowLimits.Key(MlflowArgs.ReadString(tag, "key"), "tag");
            tags[key] = MlflowLimits.Value(MlflowArgs.ReadString(tag, "value"), MlflowLimits.MaxTagValueLength, "tag", key);
        }
        var slug = SlugRule.IsValid(name) ? name : await MlflowExperimentStore.NewSlugAsync(db, name, cancellationToken);
        if (await db.Projects.AnyAsync(p => p.Name == slug, cancellationToken))
            slug = await MlflowExperimentStore.NewSlugAsync(db, name + "-mlflow", cancellationToken);
        if (!user.CanAccessProject(slug))
            throw MlflowException.Denied($"This key is bound to project '{user.BoundProject()}'.");
        var project = new ProjectEntity
        {
            Name = slug,
            MlflowName = slug == name ? null : name,
            CreatedMs = now,
            MlflowUpdatedMs = now,
            MlflowTagsJson = MlflowExperimentStore.TagsJson(tags),
        };
        db.Projects.Add(project);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new MlflowException(MlflowException.ResourceAlreadyExists, $"Experiment(name={name}) already exists.");
        }
        return MlflowJson.Write(w => w.WriteString("experiment_id", MlflowExperimentStore.IdOf(project)));
    }

    internal static async Task<IResult> Get(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var project = await MlflowExperimentStore.FindAsync(
            db,
            args.Required("experiment_id"),
            user,
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            cancellationToken
        );
        return ExperimentAnswer(project);
    }

    internal static async Task<IResult> GetByName(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var name = args.Required("experiment_name");
        var project = await MlflowExperimentStore.FindByNameAsync(db, name, cancellationToken);
        if (project is null && name == MlflowExperimentStore.DefaultName)
        {
            project = await MlflowExperimentStore.EnsureDefaultAsync(db, user, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        }
        if (project is null)
            throw MlflowException.NotFound($"Could not find experiment with name '{name}'");
        MlflowExperimentStore.CheckAccess(project, user);
        return ExperimentAnswer(project);
    }

    private static IResult ExperimentAnswer(ProjectEntity project) =>
        MlflowJson.Write(w =>
        {
            w.WriteStartObject("experiment");
            MlflowExperimentStore.WriteExperiment(w, project);
            w.WriteEndObject();
        });

    internal static async Task<IResult> Search(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var isList = request.Path.Value!.EndsWith("/list", StringComparison.Ordinal);
        var view = MlflowViewType.Parse(args.String("view_type"));
        var maxResults = MlflowLimits.MaxResultsOrDefault(args.Int64("max_results"), isList ? MlflowLimits.MaxResults : MlflowLimits.DefaultMaxResults);
        var offset = MlflowPageToken.Decode(args.String("page_token"));
        var clauses = MlflowFilter.Parse(args.String("filter"));
        var orderBy = args.Strings("order_by");
        await MlflowExperimentStore.EnsureDefaultAsync(db, user, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);

        var bound = user.BoundProject();
        var projects = await db.Projects.AsNoTracking().Where(p => bound == null || p.Name == bound).ToListAsync(cancellationToken);
        var matching = projects.Where(p => view.Includes(MlflowExperimentStore.IsDeleted(p)) && clauses.All(c => Matches(p, c)));
        var ordered = Order(matching, orderBy).ToList();
        var page = ordered.Skip(offset).Take(maxResults).ToList();
        var next = offset + page.Count < ordered.Count ? MlflowPageToken.Encode(offset + page.Count) : null;
        return MlflowJson.Write(w =>
        {
            if (page.Count > 0)
            {
                w.WriteStartArray("experiments");
                foreach (var p in page)
                {
                    w.WriteStartObject();
                    MlflowExperimentStore.WriteExperiment(w, p);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (next is not null)
                w.WriteString("next_page_token", next);
        });
    }

    private static bool Matches(ProjectEntity p, MlflowClause c) =>
        c.Entity switch
        {
            "attribute" when c.Key == "name" => c.Matches(MlflowExperimentStore.NameOf(p)),
            "attribute" when c.Key == "creation_time" => c.Matches((double)p.CreatedMs),
            "attribute" when c.Key == "last_update_time" => c.Matches((double)(p.MlflowUpdatedMs ?? p.CreatedMs)),
            "tag" => c.Matches(MlflowExperimentStore.Tags(p.MlflowTagsJson).GetValueOrDefault(c.Key)),
            _ => throw MlflowException.Invalid(
                $"Invalid attribute key '{c.Key}' specified. Valid keys are ['name', 'creation_time', 'last_update_time'] and tags."
            ),
        };

    private static IOrderedEnumerable<ProjectEntity> Order(IEnumerable<ProjectEntity> projects, IReadOnlyList<string> orderBy)
    {
        IOrderedEnumerable<ProjectEntity>? ordered = null;
        foreach (var clause in orderBy)
        {
            var (key, ascending) = MlflowOrderBy.Parse(clause);
            Func<ProjectEntity, IComparable> selector = key switch
            {
                "name" or "attribute.name" or "attributes.name" => p => MlflowExperimentStore.NameOf(p),
                "creation_time" or "attribute.creation_time" or "attributes.creation_time" => p => p.CreatedMs,
                "last_update_time" or "attribute.last_update_time" or "attributes.last_update_time" => p => p.MlflowUpdatedMs ?? p.CreatedMs,
                "experiment_id" or "attribute.experiment_id" or "attributes.experiment_id" => p => MlflowExperimentStore.IdOf(p) == "0" ? 0L : p.Id,
                _ => throw MlflowException.Invalid($"Invalid order_by entity: '{clause}'"),
            };
            ordered = ordered is null
                ? ascending
                    ? projects.OrderBy(selector)
                    : projects.OrderByDescending(selector)
                : ascending
                    ? ordered.ThenBy(selector)
                    : ordered.ThenByDescending(selector);
        }
        ordered = ordered is null ? projects.OrderByDescending(p => p.CreatedMs) : ordered;
        return ordered.ThenBy(p => MlflowExperimentStore.IdOf(p) == "0" ? 0L : p.Id);
    }

    internal static async Task<IResult> Update(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var project = await MlflowExperimentStore.FindAsync(db, args.Required("experiment_id"), user, now, cancellationToken);
        if (args.String("new_name") is { Length: > 0 } newName && newName != MlflowExperimentStore.NameOf(project))
        {
            if (MlflowExperimentStore.IsDeleted(project))
                throw new MlflowException(MlflowException.InvalidState, "Cannot rename a non-active experiment.");
            if (newName.Length > MlflowLimits.MaxExperimentNameLength)
                throw MlflowException.Invalid("Experiment name is too long.");
            if (await MlflowExperimentStore.FindByNameAsync(db, newName, cancellationToken) is not null)
            {
                throw new MlflowException(MlflowException.ResourceAlreadyExists, $"Experiment(name={newName}) already exists.");
            }
            // The slug (the project's URL) stays; the MLflow name changes.
            project.MlflowName = newName == project.Name ? null : newName;
            project.MlflowUpdatedMs = now;
            await db.SaveChangesAsync(cancellationToken);
        }
        return MlflowJson.Empty;
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
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var id = args.Required("experiment_id");
        if (deleted && id == MlflowExperimentStore.DefaultId)
            throw MlflowException.Invalid("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
        var project = await MlflowExperimentStore.FindAsync(db, id, user, now, cancellationToken);
        project.MlflowDeletedMs = deleted ? now : null;
        project.MlflowUpdatedMs = now;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        // As MLflow's tracking store does: deleting an experiment marks its runs deleted, restoring it restores them all.
        var runs = db.Runs.Where(r => r.ProjectId == project.Id);
        if (deleted)
        {
            await runs.Where(r => r.MlflowDeletedMs == null).ExecuteUpdateAsync(u => u.SetProperty(r => r.MlflowDeletedMs, now), cancellationToken);
        }
        else
        {
            await runs.Where(r => r.MlflowDeletedMs != null).ExecuteUpdateAsync(u => u.SetProperty(r => r.MlflowDeletedMs, (long?)null), cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return MlflowJson.Empty;
    }

    internal static async Task<IResult> SetTag(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var project = await MlflowExperimentStore.FindAsync(db, args.Required("experiment_id"), user, now, cancellationToken);
        if (MlflowExperimentStore.IsDeleted(project))
            throw new MlflowException(MlflowException.InvalidState, "The experiment must be in the 'active' state.");
        var key = MlflowLimits.Key(args.String("key"), "tag");
        var value = MlflowLimits.Value(args.String("value"), MlflowLimits.MaxTagValueLength, "tag", key);
        var tags = MlflowExperimentStore.Tags(project.MlflowTagsJson);
        tags[key] = value;
        project.MlflowTagsJson = MlflowExperimentStore.TagsJson(tags);
        if (key == "mlflow.note.content")
            project.Description = value.Length <= 2000 ? value : value[..2000];
        project.MlflowUpdatedMs = now;
        await db.SaveChangesAsync(cancellationToken);
        return MlflowJson.Empty;
    }
}
