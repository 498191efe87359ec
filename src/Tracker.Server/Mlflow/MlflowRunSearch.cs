using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tracker.Server.Auth;
using Tracker.Server.Storage;

namespace Tracker.Server.Mlflow;

/// <summary><c>runs/search</c>: MLflow's filter and order_by over the runs of the given experiments, evaluated in
/// memory over the runs' summaries (the latest value of each metric), params and tags.</summary>
internal static class MlflowRunSearch
{
    internal static async Task<IResult> Search(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var view = MlflowViewType.Parse(args.String("run_view_type"));
        var maxResults = MlflowLimits.MaxResultsOrDefault(args.Int64("max_results"));
        var offset = MlflowPageToken.Decode(args.String("page_token"));
        var clauses = MlflowFilter.Parse(args.String("filter"));
        var orderBy = args.Strings("order_by").Select(MlflowOrderBy.Parse).ToList();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();

        var experimentIds = args.Strings("experiment_ids");
        var projects = new List<Storage.Entities.ProjectEntity>();
        foreach (var id in experimentIds.Distinct(StringComparer.Ordinal))
        {
            projects.Add(await MlflowExperimentStore.FindAsync(db, id, user, now, cancellationToken));
        }
        // Tags and series are read for every run only when the filter or the order looks at them; otherwise only for
        // the page's runs, after paging (a search over thousands of runs then holds their rows, not their series).
        var withTags = clauses.Any(c => c.Entity == "tag") || orderBy.Any(o => EntityOf(o.Key) is "tag" or "tags");
        var withSeries = clauses.Any(c => c.Entity == "metric") || orderBy.Any(o => EntityOf(o.Key) is "metric" or "metrics");
        var runs = projects.Count == 0 ? [] : await MlflowRunStore.LoadManyAsync(db, projects, view, cancellationToken, withTags, withSeries);
        var matching = runs.Where(r => clauses.All(c => Matches(r, c)));
        var ordered = Order(matching, orderBy).ToList();
        var page = ordered.Skip(offset).Take(maxResults).ToList();
        if (page.Count > 0 && !(withTags && withSeries))
            page = await MlflowRunStore.CompleteAsync(db, page, cancellationToken);
        var next = offset + page.Count < ordered.Count ? MlflowPageToken.Encode(offset + page.Count) : null;
        return MlflowJson.Write(w =>
        {
            if (page.Count > 0)
            {
                w.WriteStartArray("runs");
                foreach (var r in page)
                {
                    w.WriteStartObject();
                    r.Write(w);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (next is not null)
                w.WriteString("next_page_token", next);
        });
    }

    private static bool Matches(MlflowRunView run, MlflowClause c)
    {
        switch (c.Entity)
        {
            case "metric":
                if (c.Op is "LIKE" or "ILIKE" or "IN" or "NOT IN" || c.Number is null)
                {
                    throw MlflowException.Invalid($"Invalid comparison for metric '{c.Key}': metrics compare with =, !=, >, >=, <, <= and a number.");
                }
                return run.Series.FirstOrDefault(s => s.Key == c.Key) is { } series && c.Matches(series.LastValue ?? double.NaN);
            case "param":
            case "tag":
                if (c.IsNumericOp)
                    throw MlflowException.Invalid($"Invalid comparator '{c.Op}' for {c.Entity} '{c.Key}'; use =, !=, LIKE or ILIKE.");
                return c.Matches((c.Entity == "param" ? run.Params : run.Tags).GetValueOrDefault(c.Key));
            default:
                return c.Key switch
                {
                    "start_time" or "created" or "Created" => c.Matches((double)run.Run.CreatedMs),
                    "end_time" => c.Matches(run.Run.EndedMs is { } e ? e : null),
                    _ when c.IsNumericOp => throw MlflowException.Invalid($"Invalid comparator '{c.Op}' for attribute '{c.Key}'."),
                    "run_id" or "run_uuid" => c.Matches(run.Run.Id),
                    "run_name" => c.Matches(run.Run.Name),
                    "status" => c.Matches(run.Status),
                    "user_id" => c.Matches(run.UserId),
                    "lifecycle_stage" => c.Matches(run.Deleted ? "deleted" : "active"),
                    "artifact_uri" => c.Matches($"mlflow-artifacts:/{run.ExperimentId}/{run.Run.Id}/artifacts"),
                    _ => throw MlflowException.Invalid(
                        $"Invalid attribute key '{c.Key}' specified. Valid keys are ['run_id', 'run_name', 'status', 'user_id', 'start_time', 'end_time', 'artifact_uri', 'lifecycle_stage']"
                    ),
                };
        }
    }

    private static IEnumerable<MlflowRunView> Order(IEnumerable<MlflowRunView> runs, List<(string Key, bool Ascending)> orderBy)
    {
        IOrderedEnumerable<MlflowRunView>? ordered = null;
        foreach (var (key, ascending) in orderBy)
        {
            var selector = Selector(key);
            var comparer = ascending ? SortValue.Ascending : SortValue.Descending;
            ordered = ordered is null ? runs.OrderBy(selector, comparer) : ordered.ThenBy(selector, comparer);
        }
        // MLflow's default and tie-break: newest first, then by run id.
        ordered = ordered is null ? runs.OrderByDescending(r => r.Run.CreatedMs) : ordered.ThenByDescending(r => r.Run.CreatedMs);
        return ordered.ThenBy(r => r.Run.Id, StringComparer.Ordinal);
    }

    private static string EntityOf(string orderKey)
    {
        var dot = orderKey.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? "attribute" : orderKey[..dot].ToLowerInvariant();
    }

    private static Func<MlflowRunView, SortValue> Selector(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        var entity = dot < 0 ? "attribute" : key[..dot].ToLowerInvariant();
        var name = dot < 0 ? key : key[(dot + 1)..];
        return entity switch
        {
            "metric" or "metrics" => r =>
                r.Series.FirstOrDefault(s => s.Key == name) is { } s ? new SortValue(s.LastValue ?? double.NaN, null) : SortValue.Missing,
            "param" or "params" => r => r.Params.TryGetValue(name, out var v) ? new SortValue(null, v) : SortValue.Missing,
            "tag" or "tags" => r => r.Tags.TryGetValue(name, out var v) ? new SortValue(null, v) : SortValue.Missing,
            "attribute" or "attributes" => name switch
            {
                "start_time" or "created" => r => new SortValue(r.Run.CreatedMs, null),
                "end_time" => r => r.Run.EndedMs is { } e ? new SortValue(e, null) : SortValue.Missing,
                "run_name" => r => new SortValue(null, r.Run.Name),
                "run_id" => r => new SortValue(null, r.Run.Id),
                "status" => r => new SortValue(null, r.Status),
                "user_id" => r => new SortValue(null, r.UserId),
                _ => throw MlflowException.Invalid($"Invalid order_by key 'attributes.{name}'."),
            },
            _ => throw MlflowException.Invalid($"Invalid order_by entity '{entity}' in '{key}'."),
        };
    }

    /// <summary>A sort key; runs without the key sort last in either direction, as in MLflow.</summary>
    private readonly record struct SortValue(double? Number, string? Text)
    {
        public static SortValue Missing => default;

        private bool IsMissing => Number is null && Text is null;

        public static IComparer<SortValue> Ascending { get; } = Comparer<SortValue>.Create((a, b) => Compare(a, b, 1));

        public static IComparer<SortValue> Descending { get; } = Comparer<SortValue>.Create((a, b) => Compare(a, b, -1));

        private static int Compare(SortValue a, SortValue b, int sign)
        {
            if (a.IsMissing || b.IsMissing)
                return a.IsMissing.CompareTo(b.IsMissing);
            return sign * (a.Number is { } x && b.Number is { } y ? x.CompareTo(y) : string.CompareOrdinal(a.Text, b.Text));
        }
    }
}
