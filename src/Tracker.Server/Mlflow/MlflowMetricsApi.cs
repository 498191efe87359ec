using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Tracker.Sdk.Contracts;
using Tracker.Server.Queries;
using Tracker.Server.Storage;

namespace Tracker.Server.Mlflow;

/// <summary><c>metrics/get-history</c> (full history, paged) and <c>metrics/get-history-bulk-interval</c>
/// (at most N points per run over a step range, from the pre-aggregated levels).</summary>
internal static class MlflowMetricsApi
{
    private const int HistoryChunk = 10_000;
    public const int MaxBulkRuns = 100;
    public const int MaxBulkPoints = 2500;
    public const int DefaultBulkPoints = 320;

    public static void Map(RouteGroupBuilder mlflow, string name)
    {
        var g = mlflow.MapGroup("/metrics").WithTags("MLflow metrics");
        g.MapGet("/get-history", GetHistory).WithName(name + "GetMetricHistory");
        g.MapGet("/get-history-bulk-interval", GetHistoryBulkInterval).WithName(name + "GetMetricHistoryBulkInterval");
    }

    internal static async Task<IResult> GetHistory(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        MetricQueries queries,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var runId = args.RunId();
        var key = args.Required("metric_key");
        await MlflowRunStore.FindAsync(db, runId, user, cancellationToken);
        var maxResults = args.Int64("max_results") is { } m ? MlflowLimits.MaxResultsOrDefault(m, limit: 25_000) : (int?)null;
        HistoryCursor? after = null;
        if (args.String("page_token") is { Length: > 0 } token)
        {
            after = HistoryCursor.TryDecode(token, out var c) ? c : throw MlflowException.Invalid($"Invalid page token '{token}'.");
        }
        var seriesId = await db
            .Series.AsNoTracking()
            .Where(s => s.RunId == runId && s.Key == key)
            .Select(s => (long?)s.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (maxResults is null && seriesId is { } whole)
        {
            // Without max_results MLflow answers the whole history in one response: streamed a chunk at a time, so a
            // series of millions of points never sits in memory whole.
            var (first, firstNext) = await queries.ReadPageAsync(whole, long.MinValue, long.MaxValue, after, HistoryChunk, cancellationToken);
            if (first.Count == 0)
                return MlflowJson.Empty;
            return MlflowJson.Stream(
                async (w, ct) =>
                {
                    w.WriteStartArray("metrics");
                    var (page, next) = (first, firstNext);
                    while (true)
                    {
                        foreach (var p in page)
                            WritePoint(w, key, p, null);
                        await w.FlushAsync(ct);
                        if (next is null)
                            break;
                        (page, next) = await queries.ReadPageAsync(whole, long.MinValue, long.MaxValue, next, HistoryChunk, ct);
                    }
                    w.WriteEndArray();
                }
            );
        }
        var points = new List<MetricPointDto>();
        HistoryCursor? next = null;
        if (seriesId is { } id)
        {
            do
            {
                var limit = maxResults is { } max ? max - points.Count : HistoryChunk;
                var (page, cursor) = await queries.ReadPageAsync(id, long.MinValue, long.MaxValue, after, limit, cancellationToken);
                points.AddRange(page);
                after = next = cursor;
            } while (next is not null && (maxResults is null || points.Count < maxResults));
        }
        return MlflowJson.Write(w =>
        {
            if (points.Count > 0)
            {
                w.WriteStartArray("metrics");
                foreach (var p in points)
                    WritePoint(w, key, p, null);
                w.WriteEndArray();
            }
            if (next is { } n)
                w.WriteString("next_page_token", n.Encode());
        });
    }

    internal static async Task<IResult> GetHistoryBulkInterval(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        MetricQueries queries,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var runIds = args.Strings("run_ids");
        if (runIds.Count == 0)
            throw MlflowException.Invalid("Missing value for required parameter 'run_ids'.");
        if (runIds.Count > MaxBulkRuns)
            throw MlflowException.Invalid($"GetMetricHistoryBulkInterval request must specify at most {MaxBulkRuns} run_ids. Received {runIds.Count} run_ids.");
        var key = args.Required("metric_key");
        var maxResults = MlflowLimits.MaxResultsOrDefault(args.Int64("max_results"), DefaultBulkPoints, MaxBulkPoints);
        var start = args.Int64("start_step");
        var end = args.Int64("end_step");
        if ((start is null) != (end is null))
            throw MlflowException.Invalid("If either start step or end step are specified, both must be specified.");
        if (start > end)
            throw MlflowException.Invalid("end_step must be greater than start_step.");

        var results = new List<(string RunId, List<MetricPointDto> Points)>();
        foreach (var runId in runIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            await MlflowRunStore.FindAsync(db, runId, user, cancellationToken);
            var series = await db.Series.AsNoTracking().Where(s => s.RunId == runId && s.Key == key).FirstOrDefaultAsync(cancellationToken);
            if (series is null)
                continue;
            var from = start ?? series.FirstStep;
            var to = end ?? series.LastStep;
            var whole = from <= series.FirstStep && to >= series.LastStep;
            var (points, _, _) = await queries.ReadSampledAsync(series.Id, from, to, maxResults, whole ? series.Count : null, cancellationToken);
            results.Add((runId, points));
        }
        return MlflowJson.Write(w =>
        {
            if (results.Any(r => r.Points.Count > 0))
            {
                w.WriteStartArray("metrics");
                foreach (var (runId, points) in results)
                {
                    foreach (var p in points)
                        WritePoint(w, key, p, runId);
                }
                w.WriteEndArray();
            }
        });
    }

    private static void WritePoint(System.Text.Json.Utf8JsonWriter w, string key, MetricPointDto p, string? runId)
    {
        w.WriteStartObject();
        w.WriteString("key", key);
        MlflowJson.WriteDouble(w, "value", p.Value);
        w.WriteNumber("timestamp", p.Time);
        w.WriteNumber("step", p.Step);
        if (runId is not null)
            w.WriteString("run_id", runId);
        w.WriteEndObject();
    }
}
