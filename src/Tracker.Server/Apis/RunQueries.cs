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

namespace Tracker.Server.Apis;

/// <summary><c>GET /api/v1/projects/{project}/runs</c>: the run table; reads runs, tags and series summaries, never points.</summary>
internal static class RunQueries
{
    public const int DefaultLimit = 100;

    internal static async Task<Results<Ok<RunPage>, ValidationProblem, ProblemHttpResult>> ListRuns(
        string project,
        ClaimsPrincipal user,
        TrackerDbContext db,
        IOptions<TrackerOptions> options,
        CancellationToken cancellationToken,
        string? state = null,
        string? tag = null,
        string? group = null,
        string? search = null,
        string? sort = null,
        string? order = null,
        int? limit = null,
        string? cursor = null,
        string? updatedSince = null
    )
    {
        if (!user.CanAccessProject(project))
            return ApiProblems.Forbidden($"This key is bound to project '{user.BoundProject()}'.");
        var projectId = await db.Projects.Where(p => p.Name == project).Select(p => (long?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (projectId is null)
            return ApiProblems.NotFound($"Project '{project}' does not exist.");

        var maxLimit = options.Value.Limits.MaxPageSize;
        var take = limit ?? Math.Min(DefaultLimit, maxLimit);
        if (take < 1 || take > maxLimit)
            return ApiProblems.Field("limit", $"must be between 1 and {maxLimit}");
        var descending = order switch
        {
            null or "" => sort is null or "createdAt",
            "asc" => false,
            "desc" => true,
            _ => (bool?)null,
        };
        if (descending is null)
            return ApiProblems.Field("order", "must be 'asc' or 'desc'");
        var offset = 0;
        if (cursor is not null && (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            return ApiProblems.Field("cursor", "is not a cursor returned by this endpoint");
        }

        // Runs deleted through MLflow's API are soft-deleted there (restorable); native listings leave them out.
        var query = db.Runs.AsNoTracking().Where(r => r.ProjectId == projectId && r.MlflowDeletedMs == null);
        if (state is not null)
        {
            if (!TryParseState(state, out var s))
                return ApiProblems.Field("state", "must be one of running, finished, failed, crashed, killed");
            query = query.Where(r => r.State == s);
        }
        if (updatedSince is not null)
        {
            if (!DateTimeOffset.TryParse(updatedSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            {
                return ApiProblems.Field("updatedSince", "must be an ISO 8601 time, e.g. 2026-11-29T22:17:51.250Z");
            }
            var sinceMs = since.ToUnixTimeMilliseconds();
            query = query.Where(r => r.UpdatedMs >= sinceMs);
        }
        if (tag is not null)
            query = query.Where(r => r.Tags.Any(t => t.Tag == tag));
        if (group is not null)
            query = query.Where(r => r.Group == group);
        if (!string.IsNullOrEmpty(search))
        {
            var needle = search.ToLowerInvariant();
#pragma warning disable CA1862 // EF Core translates ToLower().Contains to SQL; the StringComparison overload does not translate.
            query = query.Where(r => r.Name.ToLower().Contains(needle));
#pragma warning restore CA1862
        }

        IOrderedQueryable<Storage.Entities.RunEntity> ordered;
        switch (sort)
        {
            case null or "createdAt":
                ordered = descending.Value ? query.OrderByDescending(r => r.CreatedMs) : query.OrderBy(r => r.CreatedMs);
                break;
            case "name":
                ordered = descending.Value ? query.OrderByDescending(r => r.Name) : query.OrderBy(r => r.Name);
                break;
            case "state":
                ordered = descending.Value ? query.OrderByDescending(r => r.State) : query.OrderBy(r => r.State);
                break;
            case not null when sort.StartsWith("summary.", StringComparison.Ordinal) && sort.Length > "summary.".Length:
                var key = sort["summary.".Length..];
                // Runs that never logged the key come last in either order.
                var withKey = query.OrderBy(r => db.Series.Any(s => s.RunId == r.Id && s.Key == key && s.LastValue != null) ? 0 : 1);
                ordered = descending.Value
                    ? withKey.ThenByDescending(r => db.Series.Where(s => s.RunId == r.Id && s.Key == key).Select(s => s.LastValue).FirstOrDefault())
                    : withKey.ThenBy(r => db.Series.Where(s => s.RunId == r.Id && s.Key == key).Select(s => s.LastValue).FirstOrDefault());
                break;
            default:
                return ApiProblems.Field("sort", "must be createdAt, name, state or summary.<metric key>");
        }
        var page = await ordered.ThenBy(r => r.Id).Skip(offset).Take(take + 1).ToListAsync(cancellationToken);
        var hasMore = page.Count > take;
        var runs = page.Take(take).ToList();
        var ids = runs.Select(r => r.Id).ToList();
        var tags = (await db.RunTags.AsNoTracking().Where(t => ids.Contains(t.RunId)).ToListAsync(cancellationToken)).ToLookup(t => t.RunId, t => t.Tag);
        var series = (await db.Series.AsNoTracking().Where(s => ids.Contains(s.RunId)).ToListAsync(cancellationToken)).ToLookup(s => s.RunId);
        // A hosted experiment's run is created when queued: its job says when it began.
        var started = (
            await db
                .ExperimentJobs.AsNoTracking()
                .Where(j => ids.Contains(j.RunId) && j.StartedMs != null)
                .Select(j => new { j.RunId, j.StartedMs })
                .ToListAsync(cancellationToken)
        ).ToDictionary(j => j.RunId, j => j.StartedMs);
        var dtos = runs.Select(r => RunMapper.ToDto(r, project, tags[r.Id], series[r.Id], started.GetValueOrDefault(r.Id))).ToList();
        return TypedResults.Ok(new RunPage(dtos, hasMore ? (offset + take).ToString(CultureInfo.InvariantCulture) : null));
    }

    internal static bool TryParseState(string text, out RunState state)
    {
        foreach (var s in Enum.GetValues<RunState>())
        {
            if (string.Equals(RunsApi.StateName(s), text, StringComparison.OrdinalIgnoreCase))
            {
                state = s;
                return true;
            }
        }
        state = default;
        return false;
    }
}
