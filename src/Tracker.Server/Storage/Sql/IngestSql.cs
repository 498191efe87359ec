using Tracker.Server.Hosting;

namespace Tracker.Server.Storage.Sql;

/// <summary>The statements of the ingest path, in one dialect per provider (they differ only in LEAST/GREATEST).</summary>
internal static class IngestSql
{
    public const string TouchRunningRun = "UPDATE runs SET heartbeat_ms = @now, updated_ms = @now WHERE id = @run AND state = 'Running'";

    public const string TouchUncrashedRun = "UPDATE runs SET heartbeat_ms = @now, updated_ms = @now WHERE id = @run AND state <> 'Crashed'";

    public const string RunState = "SELECT state FROM runs WHERE id = @run";

    /// <summary>Whether an experiment lease still owns its job. PostgreSQL share-locks the job row until the batch commits,
    /// so a requeue or claim of the job waits for the batch and never interleaves with it; SQLite has one writer anyway.</summary>
    public const string CheckFence = "SELECT 1 FROM experiment_jobs WHERE id = @job AND lease_owner = @owner AND attempts = @attempt AND state = 'running'";

    /// <summary><see cref="CheckFence"/> with the row lock PostgreSQL needs.</summary>
    public const string PostgresCheckFence = CheckFence + " FOR SHARE";

    /// <summary>Series of a run after the batch's upsert, checked against <c>Tracker:Limits:MaxSeriesPerRun</c>.</summary>
    public const string CountSeries = "SELECT count(*) FROM metric_series WHERE run_id = @run";

    public const string InsertBatch = "INSERT INTO run_batches (run_id, seq, point_count, received_ms) VALUES (@run, @seq, @n, @now) ON CONFLICT DO NOTHING";

    private const string SeriesConflict = """
        ON CONFLICT (run_id, key) DO UPDATE SET
          count = metric_series.count + excluded.count,
          first_step = {least}(metric_series.first_step, excluded.first_step),
          last_value = CASE WHEN excluded.last_step >= metric_series.last_step THEN excluded.last_value ELSE metric_series.last_value END,
          last_time_ms = CASE WHEN excluded.last_step >= metric_series.last_step THEN excluded.last_time_ms ELSE metric_series.last_time_ms END,
          last_step = {greatest}(metric_series.last_step, excluded.last_step),
          min_step = CASE WHEN excluded.min_value IS NOT NULL AND (metric_series.min_value IS NULL OR excluded.min_value < metric_series.min_value) THEN excluded.min_step ELSE metric_series.min_step END,
          min_value = CASE WHEN excluded.min_value IS NOT NULL AND (metric_series.min_value IS NULL OR excluded.min_value < metric_series.min_value) THEN excluded.min_value ELSE metric_series.min_value END,
          max_step = CASE WHEN excluded.max_value IS NOT NULL AND (metric_series.max_value IS NULL OR excluded.max_value > metric_series.max_value) THEN excluded.max_step ELSE metric_series.max_step END,
          max_value = CASE WHEN excluded.max_value IS NOT NULL AND (metric_series.max_value IS NULL OR excluded.max_value > metric_series.max_value) THEN excluded.max_value ELSE metric_series.max_value END
        RETURNING id, key
        """;

    private const string RollupConflict = """
        ON CONFLICT (series_id, level, bucket) DO UPDATE SET
          count = metric_rollups.count + excluded.count,
          last_value = CASE WHEN excluded.last_step >= metric_rollups.last_step THEN excluded.last_value ELSE metric_rollups.last_value END,
          last_time_ms = CASE WHEN excluded.last_step >= metric_rollups.last_step THEN excluded.last_time_ms ELSE metric_rollups.last_time_ms END,
          last_step = {greatest}(metric_rollups.last_step, excluded.last_step),
          min_value = CASE WHEN excluded.min_value IS NULL THEN metric_rollups.min_value WHEN metric_rollups.min_value IS NULL THEN excluded.min_value ELSE {least}(metric_rollups.min_value, excluded.min_value) END,
          max_value = CASE WHEN excluded.max_value IS NULL THEN metric_rollups.max_value WHEN metric_rollups.max_value IS NULL THEN excluded.max_value ELSE {greatest}(metric_rollups.max_value, excluded.max_value) END
        """;

    public static readonly string PostgresUpsertSeries =
        """
            INSERT INTO metric_series (run_id, key, count, first_step, last_step, last_value, last_time_ms, min_value, min_step, max_value, max_step)
            SELECT @run, * FROM unnest(@keys, @counts, @firsts, @lasts, @lastValues, @lastTimes, @mins, @minSteps, @maxs, @maxSteps)
            """
        + "\n"
        + Dialect(SeriesConflict, DatabaseProvider.Postgres);

    public static readonly string SqliteUpsertSeries =
        """
            INSERT INTO metric_series (run_id, key, count, first_step, last_step, last_value, last_time_ms, min_value, min_step, max_value, max_step)
            VALUES (@run, @key, @count, @first, @last, @lastValue, @lastTime, @min, @minStep, @max, @maxStep)
            """
        + "\n"
        + Dialect(SeriesConflict, DatabaseProvider.Sqlite);

    public static readonly string PostgresUpsertRollups =
        """
            INSERT INTO metric_rollups (series_id, level, bucket, count, last_step, last_value, last_time_ms, min_value, max_value)
            SELECT * FROM unnest(@series, @levels, @buckets, @counts, @lastSteps, @lastValues, @lastTimes, @mins, @maxs)
            """
        + "\n"
        + Dialect(RollupConflict, DatabaseProvider.Postgres);

    public static readonly string SqliteUpsertRollup =
        """
            INSERT INTO metric_rollups (series_id, level, bucket, count, last_step, last_value, last_time_ms, min_value, max_value)
            VALUES (@series, @level, @bucket, @count, @lastStep, @lastValue, @lastTime, @min, @max)
            """
        + "\n"
        + Dialect(RollupConflict, DatabaseProvider.Sqlite);

    public const string PostgresCopyPoints = "COPY metric_points (series_id, step, value, time_ms) FROM STDIN (FORMAT BINARY)";

    public const string SqliteInsertPoint = "INSERT INTO metric_points (series_id, step, value, time_ms) VALUES (@series, @step, @value, @time)";

    private static string Dialect(string sql, DatabaseProvider provider) =>
        provider == DatabaseProvider.Postgres
            ? sql.Replace("{least}", "LEAST", StringComparison.Ordinal).Replace("{greatest}", "GREATEST", StringComparison.Ordinal)
            : sql.Replace("{least}", "min", StringComparison.Ordinal).Replace("{greatest}", "max", StringComparison.Ordinal);
}
