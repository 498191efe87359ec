using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Server.Auth;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Mlflow;

/// <summary>MLflow experiments over Tracker projects: ids are the project's numeric id as a string ("0" is the
/// Default experiment, the project <c>default</c>); names are the original MLflow name, or the slug of a
/// project made natively.</summary>
internal static class MlflowExperimentStore
{
    public const string DefaultId = "0";
    public const string DefaultSlug = "default";
    public const string DefaultName = "Default";

    public static string IdOf(ProjectEntity p) => p.Name == DefaultSlug ? DefaultId : p.Id.ToString(CultureInfo.InvariantCulture);

    public static string NameOf(ProjectEntity p) => p.MlflowName ?? (p.Name == DefaultSlug ? DefaultName : p.Name);

    public static bool IsDeleted(ProjectEntity p) => p.MlflowDeletedMs is not null;

    /// <summary>The experiment <paramref name="experimentId"/>, checked against the key's project binding.</summary>
    public static async Task<ProjectEntity> FindAsync(
        TrackerDbContext db,
        string? experimentId,
        ClaimsPrincipal user,
        long nowMs,
        CancellationToken cancellationToken
    )
    {
        ProjectEntity? project;
        if (string.IsNullOrEmpty(experimentId) || experimentId == DefaultId)
        {
            project = await EnsureDefaultAsync(db, user, nowMs, cancellationToken);
        }
        else if (long.TryParse(experimentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            project = await db.Projects.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        }
        else
        {
            throw MlflowException.Invalid($"Invalid experiment ID: '{experimentId}'");
        }
        if (project is null)
            throw MlflowException.NotFound($"No Experiment with id={experimentId} exists");
        CheckAccess(project, user);
        return project;
    }

    public static async Task<ProjectEntity?> FindByNameAsync(TrackerDbContext db, string name, CancellationToken cancellationToken) =>
        await db.Projects.FirstOrDefaultAsync(p => p.MlflowName == name || (p.MlflowName == null && p.Name == name), cancellationToken)
        ?? (name == DefaultName ? await db.Projects.FirstOrDefaultAsync(p => p.Name == DefaultSlug && p.MlflowName == null, cancellationToken) : null);

    public static void CheckAccess(ProjectEntity project, ClaimsPrincipal user)
    {
        if (!user.CanAccessProject(project.Name))
        {
            throw MlflowException.Denied($"This key is bound to project '{user.BoundProject()}'.");
        }
    }

    /// <summary>MLflow always has experiment 0, "Default"; here it is made on first use (even by a read key: it is
    /// the system's own reserved experiment), unless the key is bound to another project.</summary>
    public static async Task<ProjectEntity?> EnsureDefaultAsync(TrackerDbContext db, ClaimsPrincipal user, long nowMs, CancellationToken cancellationToken)
    {
        if (!user.CanAccessProject(DefaultSlug))
        {
            return await db.Projects.FirstOrDefaultAsync(p => p.Name == DefaultSlug, cancellationToken);
        }
        // last_update_time falls back to the creation time, so a plain project is the experiment as MLflow expects it.
        return await Apis.ProjectsApi.GetOrCreateAsync(db, DefaultSlug, nowMs, cancellationToken);
    }

    /// <summary>A free project slug for an MLflow name: lowercase, other characters as '-', suffixed when taken.</summary>
    public static async Task<string> NewSlugAsync(TrackerDbContext db, string name, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder(Math.Min(name.Length, 90));
        foreach (var c in name.ToLowerInvariant())
        {
            if (sb.Length == 90)
                break;
            var ok = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || (sb.Length > 0 && c is '.' or '_' or '-');
            if (ok)
                sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-')
                sb.Append('-');
        }
        var slug = sb.ToString().TrimEnd('-', '.', '_');
        if (slug.Length == 0)
            slug = "experiment";
        var candidate = slug;
        for (var i = 2; await db.Projects.AnyAsync(p => p.Name == candidate, cancellationToken); i++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{slug}-{i}");
        }
        return candidate;
    }

    public static Dictionary<string, string> Tags(string? json) =>
        json is null
            ? new(StringComparer.Ordinal)
            : JsonSerializer.Deserialize(json, MlflowStorageJsonContext.Default.DictionaryStringString) ?? new(StringComparer.Ordinal);

    public static string? TagsJson(Dictionary<string, string> tags) =>
        tags.Count == 0 ? null : JsonSerializer.Serialize(tags, MlflowStorageJsonContext.Default.DictionaryStringString);

    public static void WriteExperiment(Utf8JsonWriter w, ProjectEntity p)
    {
        w.WriteString("experiment_id", IdOf(p));
        w.WriteString("name", NameOf(p));
        w.WriteString("artifact_location", $"mlflow-artifacts:/{IdOf(p)}");
        w.WriteString("lifecycle_stage", IsDeleted(p) ? "deleted" : "active");
        w.WriteNumber("last_update_time", p.MlflowUpdatedMs ?? p.CreatedMs);
        w.WriteNumber("creation_time", p.CreatedMs);
        var tags = Tags(p.MlflowTagsJson);
        if (p.Description is not null && !tags.ContainsKey("mlflow.note.content"))
            tags["mlflow.note.content"] = p.Description;
        MlflowJson.WriteKeyValues(w, "tags", tags);
    }
}
