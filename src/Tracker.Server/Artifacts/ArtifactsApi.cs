using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Tracker.Sdk.Contracts;
using Tracker.Server.Apis;
using Tracker.Server.Auth;
using Tracker.Server.Storage;

namespace Tracker.Server.Artifacts;

/// <summary><c>/api/v1/runs/{id}/artifacts</c> and <c>/api/v1/runs/{id}/checkpoints/best</c>: a run's files.</summary>
internal static class ArtifactsApi
{
    public static RouteGroupBuilder MapArtifactsApi(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/runs/{id}").WithTags("Artifacts");
        runs.MapGet("/artifacts", ListArtifacts).WithName("ListArtifacts").WithSummary("List a run's artifacts with their metadata.");
        runs.MapPut("/artifacts/{**path}", ArtifactUpload.PutArtifact)
            .WithName("PutArtifact")
            .WithSummary("Upload a file (raw body; ?step=N&kind=checkpoint; X-Checksum-Sha256 to verify). Replaces a file at the same path.")
            .RequireAuthorization(TrackerClaims.WritePolicy);
        runs.MapGet("/artifacts/{**path}", GetArtifact).WithName("GetArtifact").WithSummary("Download a file (HTTP range requests supported).");
        runs.MapDelete("/artifacts/{**path}", DeleteArtifact)
            .WithName("DeleteArtifact")
            .WithSummary("Delete a file.")
            .RequireAuthorization(TrackerClaims.WritePolicy);
        runs.MapGet("/checkpoints/best", GetBestCheckpoint)
            .WithName("GetBestCheckpoint")
            .WithSummary("The checkpoint to restore: the best by the early-stopping monitor and mode (404 when none has a value yet).");
        return api;
    }

    internal static async Task<Results<Ok<ArtifactList>, ProblemHttpResult>> ListArtifacts(
        string id,
        ClaimsPrincipal user,
        TrackerDbContext db,
        CheckpointRetention retention,
        CancellationToken cancellationToken
    )
    {
        var loaded = await RunsApi.LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        var rows = await db.Artifacts.AsNoTracking().Where(a => a.RunId == id).OrderBy(a => a.Path).ToListAsync(cancellationToken);
        var monitor = rows.Any(r => r.Kind == CheckpointRetention.Kind) ? (await retention.MonitorAsync(id, cancellationToken))?.Monitor : null;
        return TypedResults.Ok(new ArtifactList(rows.Select(r => ArtifactMapper.ToDto(r, monitor)).ToList()));
    }

    internal static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> GetArtifact(
        string id,
        string path,
        ClaimsPrincipal user,
        TrackerDbContext db,
        ArtifactBlobs blobs,
        CancellationToken cancellationToken
    )
    {
        path = ArtifactUploadRequest.Normalize(path);
        if (!ArtifactPath.IsValid(path))
            return ApiProblems.Field("path", ArtifactPath.Description);
        var loaded = await RunsApi.LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        var row = await db.Artifacts.AsNoTracking().FirstOrDefaultAsync(a => a.RunId == id && a.Path == path, cancellationToken);
        var stream = row is null ? null : await blobs.Store.OpenReadAsync(row.BlobKey, row.Size, cancellationToken);
        if (row is null || stream is null)
            return ApiProblems.NotFound($"Run '{id}' has no artifact '{path}'.");
        return TypedResults.Stream(
            stream,
            row.ContentType,
            lastModified: Runs.RunMapper.FromMs(row.CreatedMs),
            entityTag: new EntityTagHeaderValue($"\"{row.Sha256}\""),
            enableRangeProcessing: true
        );
    }

    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteArtifact(
        string id,
        string path,
        ClaimsPrincipal user,
        TrackerDbContext db,
        ArtifactBlobs blobs,
        CheckpointRetention retention,
        CancellationToken cancellationToken
    )
    {
        path = ArtifactUploadRequest.Normalize(path);
        if (!ArtifactPath.IsValid(path))
            return ApiProblems.Field("path", ArtifactPath.Description);
        var loaded = await RunsApi.LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        var row = await db.Artifacts.FirstOrDefaultAsync(a => a.RunId == id && a.Path == path, cancellationToken);
        if (row is null)
            return ApiProblems.NotFound($"Run '{id}' has no artifact '{path}'.");
        db.Artifacts.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        await blobs.Store.DeleteAsync(row.BlobKey, CancellationToken.None);
        if (row.Kind == CheckpointRetention.Kind)
            await retention.OnCheckpointStoredAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<ArtifactDto>, ProblemHttpResult>> GetBestCheckpoint(
        string id,
        ClaimsPrincipal user,
        TrackerDbContext db,
        CheckpointRetention retention,
        CancellationToken cancellationToken
    )
    {
        var loaded = await RunsApi.LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        var best = await retention.BestAsync(db, id, cancellationToken);
        if (best is null)
            return ApiProblems.NotFound($"Run '{id}' has no checkpoint with a value of its monitored metric yet.");
        var monitor = await retention.MonitorAsync(id, cancellationToken);
        return TypedResults.Ok(ArtifactMapper.ToDto(best, monitor?.Monitor));
    }
}
