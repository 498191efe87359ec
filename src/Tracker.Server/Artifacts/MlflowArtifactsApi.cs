using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Server.Auth;
using Tracker.Server.Mlflow;
using Tracker.Server.Storage;

namespace Tracker.Server.Artifacts;

/// <summary>MLflow's artifact proxy (<c>mlflow server --serve-artifacts</c>) over the artifact store, so that
/// <c>mlflow.log_artifact</c> and <c>list_artifacts</c> work unchanged against a run's <c>artifact_uri</c>
/// (<c>mlflow-artifacts:/{experiment}/{run}/artifacts</c>): upload, download, delete and one-level listing.</summary>
internal static class MlflowArtifactsApi
{
    private const string Prefix = "/api/2.0/mlflow-artifacts/artifacts";

    public static IEndpointRouteBuilder MapMlflowArtifactsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).RequireAuthorization(TrackerClaims.ReadPolicy).ExcludeFromDescription();
        group.MapGet("/", List);
        group.MapPut("/{experiment}/{id}/artifacts/{**path}", Put).RequireAuthorization(TrackerClaims.WritePolicy);
        group.MapGet("/{experiment}/{id}/artifacts/{**path}", ArtifactsApi.GetArtifact);
        group.MapDelete("/{experiment}/{id}/artifacts/{**path}", Delete).RequireAuthorization(TrackerClaims.WritePolicy);
        return app;
    }

    private static async Task<IResult> Put(
        string id,
        string path,
        HttpContext context,
        ClaimsPrincipal user,
        TrackerDbContext db,
        ArtifactBlobs blobs,
        CheckpointRetention retention,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        var result = await ArtifactUpload.PutArtifact(id, path, context, user, db, blobs, retention, time, cancellationToken);
        return result.Result is Created<Sdk.Contracts.ArtifactDto> ? MlflowJson.Empty : result.Result;
    }

    private static async Task<IResult> Delete(
        string id,
        string path,
        ClaimsPrincipal user,
        TrackerDbContext db,
        ArtifactBlobs blobs,
        CheckpointRetention retention,
        CancellationToken cancellationToken
    )
    {
        var result = await ArtifactsApi.DeleteArtifact(id, path, user, db, blobs, retention, cancellationToken);
        return result.Result is NoContent ? MlflowJson.Empty : result.Result;
    }

    /// <summary><c>GET ?path={experiment}/{run}/artifacts[/dir]</c>: the files and folders directly under that folder, by base name.</summary>
    private static async Task<IResult> List(HttpRequest request, ClaimsPrincipal user, TrackerDbContext db, CancellationToken cancellationToken)
    {
        var parts = (request.Query["path"].ToString()).Trim('/').Split('/', 4);
        if (parts.Length < 3 || parts[2] != "artifacts")
        {
            return MlflowJson.Error(MlflowException.InvalidParameterValue, "path must be '{experiment_id}/{run_id}/artifacts[/folder]'.");
        }
        var runId = parts[1];
        var folder = parts.Length == 4 ? parts[3].Trim('/') : "";
        if (folder.Length > 0 && !ArtifactPath.IsValid(folder))
            return MlflowJson.Error(MlflowException.InvalidParameterValue, $"path: {ArtifactPath.Description}");
        var loaded = await Apis.RunsApi.LoadAsync(db, runId, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return MlflowJson.Error(MlflowException.ResourceDoesNotExist, $"Run '{runId}' not found.");
        var prefix = folder.Length == 0 ? "" : folder + "/";
        var rows = await db
            .Artifacts.AsNoTracking()
            .Where(a => a.RunId == runId && a.Path.StartsWith(prefix))
            .Select(a => new { a.Path, a.Size })
            .ToListAsync(cancellationToken);
        var entries = rows.Select(r => r.Path[prefix.Length..])
            .Zip(rows, (rest, r) => (Tail: rest, r.Size))
            .GroupBy(e => e.Tail.Split('/')[0], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        return MlflowJson.Write(w =>
        {
            w.WriteStartArray("files");
            foreach (var entry in entries)
            {
                w.WriteStartObject();
                w.WriteString("path", entry.Key);
                var isDir = entry.Any(e => e.Tail.Contains('/', StringComparison.Ordinal));
                w.WriteBoolean("is_dir", isDir);
                if (!isDir)
                    w.WriteNumber("file_size", entry.First().Size);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }
}
