using System.Globalization;
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

/// <summary><c>/api/v1/keys</c>: admin-only key management; a key's secret is shown once.</summary>
internal static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/keys").WithTags("Keys").RequireAuthorization(TrackerClaims.AdminPolicy);
        group
            .MapPost("/", CreateKey)
            .WithName("CreateKey")
            .WithSummary("Create an API key, optionally expiring at expiresAt (the secret is returned once).")
            .Accepts<CreateApiKeyRequest>("application/json");
        group
            .MapGet("/", ListKeys)
            .WithName("ListKeys")
            .WithSummary("List keys: ids, scopes, projects, creation and last use; oldest first, paged by limit and cursor.");
        group.MapDelete("/{id}", DeleteKey).WithName("DeleteKey").WithSummary("Revoke a key (its live hub connections are closed).");
        api.MapGet("/me", WhoAmI).WithTags("Keys").WithName("WhoAmI").WithSummary("The calling key: id, scope and project binding.");
        return api;
    }

    internal static async Task<Results<Created<ApiKeyCreatedDto>, ValidationProblem, ProblemHttpResult>> CreateKey(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        var (body, problem) = await JsonBody.ReadAsync(request, TrackerJsonContext.Default.CreateApiKeyRequest, cancellationToken);
        if (body is null)
            return problem!;
        if (!Enum.IsDefined(body.Scope))
            return ApiProblems.Field("scope", "must be read, write or admin");
        if (body.Name is { Length: > 200 })
            return ApiProblems.Field("name", "is longer than 200 characters");
        var project = body.Project ?? user.BoundProject();
        if (project is not null && !SlugRule.IsValid(project))
            return ApiProblems.Field("project", SlugRule.Description);
        if (project is not null && !user.CanAccessProject(project))
            return ApiProblems.Forbidden($"This key is bound to project '{user.BoundProject()}'.");

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (body.ExpiresAt is { } expires && expires.ToUnixTimeMilliseconds() <= now)
            return ApiProblems.Field("expiresAt", "must lie in the future");
        var expiresMs = body.ExpiresAt?.ToUnixTimeMilliseconds();
        var projectEntity = project is null ? null : await ProjectsApi.GetOrCreateAsync(db, project, now, cancellationToken);
        var (id, key) = ApiKeySecrets.Create();
        var entity = new ApiKeyEntity
        {
            Id = id,
            Hash = ApiKeySecrets.Hash(key),
            Name = body.Name,
            Scope = body.Scope,
            ProjectId = projectEntity?.Id,
            CreatedMs = now,
            ExpiresMs = expiresMs,
        };
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created(
            $"/api/v1/keys/{id}",
            new ApiKeyCreatedDto(
                key,
                new ApiKeyDto(id, body.Name, body.Scope, project, RunMapper.FromMs(now), null, expiresMs is { } e ? RunMapper.FromMs(e) : null)
            )
        );
    }

    internal static Ok<KeyIdentityDto> WhoAmI(ClaimsPrincipal user) =>
        TypedResults.Ok(new KeyIdentityDto(user.FindFirstValue(TrackerClaims.KeyId) ?? "", user.KeyScope(), user.BoundProject()));

    internal static async Task<Results<Ok<ApiKeyList>, ValidationProblem>> ListKeys(
        ClaimsPrincipal user,
        TrackerDbContext db,
        IOptions<TrackerOptions> options,
        CancellationToken cancellationToken,
        int? limit = null,
        string? cursor = null
    )
    {
        // Keyset paging on (created, id), the list's order: the cursor is "{createdMs}:{id}" of the page's last key.
        var maxLimit = options.Value.Limits.MaxPageSize;
        var take = limit ?? maxLimit;
        if (take < 1 || take > maxLimit)
            return ApiProblems.Field("limit", $"must be between 1 and {maxLimit}");
        var afterMs = long.MinValue;
        var afterId = "";
        if (cursor is not null)
        {
            var colon = cursor.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !long.TryParse(cursor.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out afterMs))
                return ApiProblems.Field("cursor", "is not a cursor returned by this endpoint");
            afterId = cursor[(colon + 1)..];
        }
        var bound = user.BoundProject();
#pragma warning disable CA1309, CA1310 // EF Core translates string.Compare to SQL's > in the column's collation, the ORDER BY's.
        var rows = await db
            .ApiKeys.AsNoTracking()
            .Where(k => bound == null || (k.Project != null && k.Project.Name == bound))
            .Where(k => k.CreatedMs > afterMs || (k.CreatedMs == afterMs && string.Compare(k.Id, afterId) > 0))
            .OrderBy(k => k.CreatedMs)
            .ThenBy(k => k.Id)
            .Take(take + 1)
            .Select(k => new
            {
                k.Id,
                k.Name,
                k.Scope,
                Project = k.Project != null ? k.Project.Name : null,
                k.CreatedMs,
                k.LastUsedMs,
                k.ExpiresMs,
            })
            .ToListAsync(cancellationToken);
#pragma warning restore CA1309, CA1310
        return TypedResults.Ok(
            new ApiKeyList(
                rows.Select(k => new ApiKeyDto(
                        k.Id,
                        k.Name,
                        k.Scope,
                        k.Project,
                        RunMapper.FromMs(k.CreatedMs),
                        k.LastUsedMs is { } u ? RunMapper.FromMs(u) : null,
                        k.ExpiresMs is { } e ? RunMapper.FromMs(e) : null
                    ))
                    .Take(take)
                    .ToList(),
                rows.Count > take ? $"{rows[take - 1].CreatedMs.ToString(CultureInfo.InvariantCulture)}:{rows[take - 1].Id}" : null
            )
        );
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteKey(
        string id,
        ClaimsPrincipal user,
        TrackerDbContext db,
        Replicas.ReplicaInvalidations invalidations,
        CancellationToken cancellationToken
    )
    {
        var key = await db.ApiKeys.Include(k => k.Project).FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
            return ApiProblems.NotFound($"Key '{id}' does not exist.");
        if (user.BoundProject() is { } bound && key.Project?.Name != bound)
            return ApiProblems.Forbidden($"This key is bound to project '{bound}'.");
        db.ApiKeys.Remove(key);
        await db.SaveChangesAsync(cancellationToken);
        // The cached record goes and the key's live connections end now on this replica, and on the others through the
        // shared Redis when there is one (otherwise at their next key check).
        await invalidations.KeyDeletedAsync(key.Id, key.Hash);
        return TypedResults.NoContent();
    }
}
