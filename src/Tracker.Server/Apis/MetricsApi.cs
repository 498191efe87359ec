using System.Buffers;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Tracker.Sdk.Contracts;
using Tracker.Server.Auth;
using Tracker.Server.Hosting;
using Tracker.Server.Ingest;
using Tracker.Server.Queries;
using Tracker.Server.Runs;
using Tracker.Server.Storage;

namespace Tracker.Server.Apis;

/// <summary><c>/api/v1/runs/{id}/metrics</c>: ingest, series, histories (sampled or paged) and CSV export.</summary>
internal static class MetricsApi
{
    public const int MaxSampledPoints = 100_000;
    public const int DefaultPageSize = 10_000;

    public static RouteGroupBuilder MapMetricsApi(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/runs/{id}").WithTags("Metrics");
        runs.MapPost("/metrics", LogMetrics)
            .WithName("LogMetrics")
            .WithSummary("Ingest a batch of points; all-or-nothing, idempotent per (run, seq).")
            .Accepts<LogMetricsRequest>("application/json")
            .RequireAuthorization(TrackerClaims.WritePolicy);
        runs.MapGet("/metrics", ListSeries).WithName("ListSeries").WithSummary("The run's series with their summaries.");
        runs.MapGet("/metrics/{**key}", GetHistory)
            .WithName("GetHistory")
            .WithSummary("A series' history: at most maxPoints points (min/max buckets), or the full history paged.");
        runs.MapGet("/export.csv", ExportCsv).WithName("ExportCsv").WithSummary("Every point as CSV (step,key,value,time), streamed.");
        return api;
    }

    internal static async Task<Results<Ok<LogMetricsResponse>, ValidationProblem, ProblemHttpResult>> LogMetrics(
        string id,
        HttpRequest request,
        ClaimsPrincipal user,
        IOptions<TrackerOptions> options,
        MetricIngestor ingestor,
        RunProjectLookup runProjects,
        Analysis.IRunAnalysis analyzers,
        Telemetry.TrackerMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        var limits = options.Value.Ingest;
        if (request.ContentLength > limits.MaxBatchBytes)
        {
            return ApiProblems.TooLarge("body", $"A batch body is at most {limits.MaxBatchBytes} bytes; this one is {request.ContentLength}.");
        }
        if (user.BoundProject() is { } bound)
        {
            var project = await runProjects.FindAsync(id, cancellationToken);
            if (project is null)
                return ApiProblems.NotFound($"Run '{id}' does not exist.");
            if (project != bound)
                return ApiProblems.Forbidden($"This key is bound to project '{bound}'.");
        }

        var (buffer, length) = await LimitedBody.ReadAsync(request, limits.MaxBatchBytes, cancellationToken);
        if (buffer is null)
        {
            return ApiProblems.TooLarge("body", $"A batch body is at most {limits.MaxBatchBytes} bytes.");
        }
        metrics.BytesRead(length);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var batch = new MetricBatch(Math.Clamp(length / 48, 16, limits.MaxPointsPerBatch));
        try
        {
            var error = MetricBatchParser.Parse(buffer.AsSpan(0, length), limits.MaxPointsPerBatch, now, batch);
            if (error is not null)
            {
                return error.TooLarge ? ApiProblems.TooLarge(error.Field, error.Message) : ApiProblems.Field(error.Field, error.Message);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var result = await ingestor.IngestAsync(id, batch, now, cancellationToken);
        return result.Outcome switch
        {
            IngestOutcome.Stored => TypedResults.Ok(new LogMetricsResponse(result.Accepted, false, analyzers.Advice(id))),
            IngestOutcome.Duplicate => TypedResults.Ok(new LogMetricsResponse(0, true, analyzers.Advice(id))),
            IngestOutcome.RunNotFound => ApiProblems.NotFound($"Run '{id}' does not exist."),
            IngestOutcome.TooManySeries => ApiProblems.Field(
                "points",
                $"a run has at most {options.Value.Limits.MaxSeriesPerRun} series (metric keys); this batch would add more, and nothing of it was stored"
            ),
            _ => ApiProblems.Conflict(
                "state",
                $"Run '{id}' is {RunsApi.StateName(result.State)}; only running runs accept metrics (PATCH state to running to resume)."
            ),
        };
    }

    internal static async Task<Results<Ok<MetricSeriesList>, ProblemHttpResult>> ListSeries(
        string id,
        ClaimsPrincipal user,
        TrackerDbContext db,
        CancellationToken cancellationToken
    )
    {
        var loaded = await RunsApi.LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        var series = await db.Series.AsNoTracking().Where(s => s.RunId == id).OrderBy(s => s.Key).ToListAsync(cancellationToken);
        return TypedResults.Ok(new MetricSeriesList(series.Select(s => new MetricSeriesDto(s.Key, RunMapper.ToSummary(s))).ToList()));
    }

    internal static async Task<Results<Ok<MetricHistory>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetHistory(
        string id,
        string key,
        ClaimsPrincipal user,
        TrackerDbContext db,
        MetricQueries queries,
        CancellationToken cancellationToken,
        int? maxPoints = null,
        long? fromStep = null,
        long? toStep = null,
        int? limit = null,
        string? cursor = null,
        string? format = null
    )
    {
        var packed = format == "packed";
        if (format is not null && !packed)
            return ApiProblems.Field("format", "must be 'packed' (or absent for JSON)");
        if (packed && maxPoints is null)
            return ApiProblems.Field("format", "'packed' needs maxPoints");
        if (maxPoints is < 1 or > MaxSampledPoints)
            return ApiProblems.Field("maxPoints", $"must be between 1 and {MaxSampledPoints}");
        if (limit is < 1 or > MaxSampledPoints)
            return ApiProblems.Field("limit", $"must be between 1 and {MaxSampledPoints}");
        if (fromStep is < 0)
            return ApiProblems.Field("fromStep", "must be a non-negative step");
        if (fromStep > toStep)
            return ApiProblems.Field("toStep", "must not be smaller than fromStep");
        HistoryCursor? after = null;
        if (cursor is not null)
        {
            if (!HistoryCursor.TryDecode(cursor, out var c))
                return ApiProblems.Field("cursor", "is not a cursor returned by this endpoint");
            after = c;
        }
        var loaded = await RunsApi.LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        var series = await db.Series.AsNoTracking().FirstOrDefaultAsync(s => s.RunId == id && s.Key == key, cancellationToken);
        if (series is null)
            return ApiProblems.NotFound($"Run '{id}' has no metric '{key}'.");

        var from = Math.Max(fromStep ?? series.FirstStep, series.FirstStep);
        var to = Math.Min(toStep ?? series.LastStep, series.LastStep);
        if (from > to)
            return packed
                ? TypedResults.Bytes(MetricColumns.Pack(0, false, []), MetricColumns.MediaType)
                : TypedResults.Ok(new MetricHistory(key, 0, false, []));
        if (maxPoints is { } n)
        {
            long? known = from == series.FirstStep && to == series.LastStep ? series.Count : null;
            var (points, count, sampled) = await queries.ReadSampledAsync(series.Id, from, to, n, known, cancellationToken);
            if (packed)
                return TypedResults.Bytes(MetricColumns.Pack(count, sampled, points), MetricColumns.MediaType);
            return TypedResults.Ok(new MetricHistory(key, count, sampled, points));
        }
        var (page, next) = await queries.ReadPageAsync(series.Id, from, to, after, limit ?? DefaultPageSize, cancellationToken);
        var total = fromStep is null && toStep is null ? series.Count : page.Count;
        return TypedResults.Ok(new MetricHistory(key, total, false, page, next?.Encode()));
    }

    internal static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ExportCsv(
        string id,
        HttpContext context,
        ClaimsPrincipal user,
        TrackerDbContext db,
        ITrackerConnectionFactory connections,
        CancellationToken cancellationToken
    )
    {
        var loaded = await RunsApi.LoadAsync(db, id, user, tracking: false, cancellationToken);
        if (loaded.Problem is not null)
            return loaded.Problem;
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{id}.csv\"";
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT p.step, s.key, p.value, p.time_ms FROM metric_points p JOIN metric_series s ON s.id = p.series_id
            WHERE s.run_id = @run ORDER BY s.key, p.step, p.time_ms
            """;
        var parameter = cmd.CreateParameter();
        parameter.ParameterName = "run";
        parameter.Value = id;
        cmd.Parameters.Add(parameter);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await using var writer = new StreamWriter(context.Response.Body, leaveOpen: true);
        await writer.WriteLineAsync("step,key,value,time");
        while (await reader.ReadAsync(cancellationToken))
        {
            var value = reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2);
            // Keys hold no comma or quote (see the key rules), so no field needs quoting.
            await writer.WriteLineAsync(
                string.Create(CultureInfo.InvariantCulture, $"{reader.GetInt64(0)},{reader.GetString(1)},{value:R},{reader.GetInt64(3)}")
            );
        }
        await writer.FlushAsync(cancellationToken);
        return TypedResults.Empty;
    }
}
