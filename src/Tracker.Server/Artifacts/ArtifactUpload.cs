using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Tracker.Sdk.Contracts;
using Tracker.Server.Apis;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Artifacts;

/// <summary><c>PUT /api/v1/runs/{id}/artifacts/{**path}</c>: stream the body to a staging file while hashing it, check size,
/// checksum and the project's quota, commit the blob under a new key, then publish the metadata row. Until that row
/// commits nothing is visible; a dropped connection deletes the staging file.</summary>
internal static class ArtifactUpload
{
    internal static async Task<Results<Created<ArtifactDto>, ValidationProblem, ProblemHttpResult>> PutArtifact(
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
        var (upload, field, problem) = ArtifactUploadRequest.Parse(path, context.Request);
        if (upload is null)
            return ApiProblems.Field(field!, problem!);
        var loaded = await RunsApi.LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        // The server-wide request size limit is for JSON bodies; this route enforces its own, while streaming.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = null;
        var stored = await StoreAsync(
            db,
            blobs,
            retention,
            time,
            loaded.Run!.ProjectId,
            id,
            upload,
            context.Request.Body,
            context.Request.ContentLength,
            cancellationToken
        );
        if (stored.Problem is not null)
            return stored.Problem;
        if (stored.Invalid is not null)
            return stored.Invalid;
        return TypedResults.Created($"/api/v1/runs/{id}/artifacts/{upload.Path}", ArtifactMapper.ToDto(stored.Row!, stored.Monitor));
    }

    /// <summary>What <see cref="StoreAsync"/> did: the published row (and the run's monitor for a checkpoint), or why not.</summary>
    internal sealed record StoreResult(ArtifactEntity? Row, string? Monitor, ProblemHttpResult? Problem, ValidationProblem? Invalid);

    /// <summary>Stores <paramref name="body"/> as the artifact <paramref name="upload"/> of run <paramref name="id"/> (of
    /// project <paramref name="projectId"/>, access already checked): the file and project limits, staging with the
    /// checksum, the blob commit, the metadata row, and a retention pass for a checkpoint. The upload route and the hosted
    /// experiments' checkpoints both store through here.</summary>
    internal static async Task<StoreResult> StoreAsync(
        TrackerDbContext db,
        ArtifactBlobs blobs,
        CheckpointRetention retention,
        TimeProvider time,
        long projectId,
        string id,
        ArtifactUploadRequest upload,
        Stream body,
        long? contentLength,
        CancellationToken cancellationToken
    )
    {
        var limits = blobs.Options;
        if (contentLength > limits.MaxFileBytes)
            return Refused(TooLarge(limits.MaxFileBytes));
        var used = await ProjectBytesAsync(db, projectId, cancellationToken);
        if (used + (contentLength ?? 0) > limits.MaxProjectBytes)
            return Refused(ProjectFull(limits.MaxProjectBytes, used));

        using var staged = await blobs.Staging.StageAsync(body, limits.MaxFileBytes, cancellationToken);
        if (staged is null)
            return Refused(TooLarge(limits.MaxFileBytes));
        if (upload.ExpectedSha256 is { } expected && !CryptographicOperations.FixedTimeEquals(expected, staged.Sha256))
        {
            return new StoreResult(
                null,
                null,
                null,
                ApiProblems.Field(ArtifactUploadRequest.ChecksumHeaders[0], $"the body's SHA-256 is {staged.Sha256Hex}, not the one sent")
            );
        }
        used = await ProjectBytesAsync(db, projectId, cancellationToken);
        if (used + staged.Length > limits.MaxProjectBytes)
            return Refused(ProjectFull(limits.MaxProjectBytes, used));

        // From here on the upload is complete: finish it even if the client goes away, so no blob is left without its row.
        var key = ArtifactBlobs.NewKey(id);
        await blobs.Store.CommitAsync(staged.File, key, staged.Length, CancellationToken.None);
        ArtifactEntity row;
        string? replacedKey;
        try
        {
            (row, replacedKey) = await PublishAsync(db, id, upload, key, staged, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (DbUpdateException)
        {
            await blobs.Store.DeleteAsync(key, CancellationToken.None);
            db.ChangeTracker.Clear();
            if (!await db.Runs.AnyAsync(r => r.Id == id, CancellationToken.None))
                return Refused(ApiProblems.NotFound($"Run '{id}' does not exist."));
            throw;
        }
        if (replacedKey is not null)
            await blobs.Store.DeleteAsync(replacedKey, CancellationToken.None);
        string? monitor = null;
        if (upload.Kind == CheckpointRetention.Kind)
        {
            await retention.OnCheckpointStoredAsync(id, CancellationToken.None);
            monitor = (await retention.MonitorAsync(id, CancellationToken.None))?.Monitor;
            await db.Entry(row).ReloadAsync(CancellationToken.None); // retention filled its value (or deleted it)
        }
        return new StoreResult(row, monitor, null, null);
    }

    private static StoreResult Refused(ProblemHttpResult problem) => new(null, null, problem, null);

    /// <summary>Inserts the row, or points the existing row of that path at the new blob (returning the old blob's key).</summary>
    private static async Task<(ArtifactEntity Row, string? ReplacedKey)> PublishAsync(
        TrackerDbContext db,
        string runId,
        ArtifactUploadRequest upload,
        string key,
        StagedBlob staged,
        long nowMs
    )
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.Artifacts.FirstOrDefaultAsync(a => a.RunId == runId && a.Path == upload.Path, CancellationToken.None);
            var replaced = row?.BlobKey;
            if (row is null)
            {
                row = new ArtifactEntity
                {
                    RunId = runId,
                    Path = upload.Path,
                    BlobKey = key,
                    Sha256 = "",
                    ContentType = "",
                };
                db.Artifacts.Add(row);
            }
            row.BlobKey = key;
            row.Size = staged.Length;
            row.Sha256 = staged.Sha256Hex;
            row.ContentType = upload.ContentType;
            row.Step = upload.Step;
            row.Kind = upload.Kind;
            row.MetricValue = null;
            row.CreatedMs = nowMs;
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                return (row, replaced);
            }
            catch (DbUpdateException) when (attempt == 0 && replaced is null)
            {
                // A concurrent upload of the same path inserted first: replace its row instead.
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<long> ProjectBytesAsync(TrackerDbContext db, long projectId, CancellationToken cancellationToken) =>
        await db.Artifacts.Where(a => db.Runs.Any(r => r.Id == a.RunId && r.ProjectId == projectId)).SumAsync(a => (long?)a.Size, cancellationToken) ?? 0;

    private static ProblemHttpResult TooLarge(long max) =>
        ApiProblems.TooLarge(
            "body",
            string.Create(CultureInfo.InvariantCulture, $"An artifact may hold at most {max} bytes (Tracker:Artifacts:MaxFileBytes).")
        );

    private static ProblemHttpResult ProjectFull(long max, long used) =>
        ApiProblems.TooLarge(
            "body",
            string.Create(
                CultureInfo.InvariantCulture,
                $"The project's artifacts would exceed {max} bytes (Tracker:Artifacts:MaxProjectBytes); {used} are in use."
            )
        );
}
