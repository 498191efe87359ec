namespace Tracker.Sdk.Contracts;

/// <summary>One logged value in an ingest batch.</summary>
/// <param name="Key">Metric name, ≤ 250 chars of <c>[A-Za-z0-9_\-./ ]</c>.</param>
/// <param name="Step">Non-negative step (iteration, epoch, ...).</param>
/// <param name="Value">Any double, NaN and infinities included.</param>
/// <param name="Time">Wall time in epoch milliseconds; the server's clock when absent.</param>
public readonly record struct MetricPointInput(string Key, long Step, double Value, long? Time = null);

/// <summary>Body of <c>POST /api/v1/runs/{id}/metrics</c>.</summary>
/// <param name="Seq">Per-run batch sequence number; a repeated one is acknowledged and not stored again.</param>
/// <param name="Points">The points, all stored or none.</param>
public sealed record LogMetricsRequest(long Seq, IReadOnlyList<MetricPointInput> Points);

/// <summary>Acknowledgement of an ingest batch, sent after it committed.</summary>
/// <param name="Accepted">Points stored by this request (0 for a duplicate).</param>
/// <param name="Duplicate">True when this <c>seq</c> had already been stored.</param>
/// <param name="Advice">The run's current early-stopping advice, when the server analyzes the run.</param>
public sealed record LogMetricsResponse(int Accepted, bool Duplicate, AdviceDto? Advice = null);

/// <summary>Early-stopping advice sent back with every ingest acknowledgement.</summary>
/// <param name="ShouldStop">True when training should stop now.</param>
/// <param name="Reason">Why, in plain words.</param>
/// <param name="BestStep">Step of the best monitored value (restore-best).</param>
/// <param name="Pattern">Learning-curve label, e.g. <c>overfitting</c>.</param>
/// <param name="Action">What to do now: stop (restoring the best step with <c>restore_best_weights</c>), else the pattern's action.</param>
/// <param name="BestCheckpoint">With a stop advice: the path of the stored checkpoint to restore (the best by the monitor), when the run has one.</param>
public sealed record AdviceDto(bool ShouldStop, string? Reason, long? BestStep, string? Pattern, string? Action = null, string? BestCheckpoint = null);

/// <summary>Summary of one metric series, kept up to date on ingest.</summary>
/// <param name="Count">Number of points.</param>
/// <param name="FirstStep">Smallest step.</param>
/// <param name="LastStep">Largest step.</param>
/// <param name="Last">Value at the largest step (the latest logged on ties).</param>
/// <param name="Min">Smallest non-NaN value; null when every value is NaN.</param>
/// <param name="Max">Largest non-NaN value; null when every value is NaN.</param>
/// <param name="MinStep">Step of <paramref name="Min"/>.</param>
/// <param name="MaxStep">Step of <paramref name="Max"/>.</param>
/// <param name="LastTime">Wall time (epoch ms) of the last value.</param>
public sealed record SeriesSummaryDto(
    long Count,
    long FirstStep,
    long LastStep,
    double Last,
    double? Min,
    double? Max,
    long? MinStep,
    long? MaxStep,
    long LastTime
);

/// <summary>A metric series of a run with its summary.</summary>
/// <param name="Key">Metric name.</param>
/// <param name="Summary">Its summary.</param>
public sealed record MetricSeriesDto(string Key, SeriesSummaryDto Summary);

/// <summary>Response of <c>GET /api/v1/runs/{id}/metrics</c>.</summary>
/// <param name="Series">Every series of the run, by key.</param>
public sealed record MetricSeriesList(IReadOnlyList<MetricSeriesDto> Series);

/// <summary>A point of a history; a bucket of several points when the history is sampled.</summary>
/// <param name="Step">The step (a bucket's last step).</param>
/// <param name="Value">The value (a bucket's last value).</param>
/// <param name="Min">Smallest value in the bucket (the value itself for a single point).</param>
/// <param name="Max">Largest value in the bucket (the value itself for a single point).</param>
/// <param name="Time">Wall time in epoch milliseconds (of the bucket's last value).</param>
public readonly record struct MetricPointDto(long Step, double Value, double Min, double Max, long Time);

/// <summary>Response of <c>GET /api/v1/runs/{id}/metrics/{key}</c>.</summary>
/// <param name="Key">Metric name.</param>
/// <param name="Count">Number of stored points in the requested range.</param>
/// <param name="Sampled">True when points are buckets (the range held more than <c>maxPoints</c>).</param>
/// <param name="Points">Points in step order.</param>
/// <param name="NextCursor">Cursor of the next page of a full history; null on the last page or when sampled.</param>
public sealed record MetricHistory(string Key, long Count, bool Sampled, IReadOnlyList<MetricPointDto> Points, string? NextCursor = null);
