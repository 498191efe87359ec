using System.Data.Common;
using Tracker.Sdk.Contracts;
using Tracker.Server.Ingest;
using Tracker.Server.Storage;

namespace Tracker.Server.Queries;

/// <summary>Reads histories: full pages in step order, or at most N points over a range, bucketed with min/max
/// from the pre-aggregated levels so that the cost does not grow with the series' length.</summary>
internal sealed class MetricQueries(ITrackerConnectionFactory connections)
{
    /// <summary>A page of the full history in step order.</summary>
    public async Task<(List<MetricPointDto> Points, HistoryCursor? Next)> ReadPageAsync(
        long seriesId,
        long fromStep,
        long toStep,
        HistoryCursor? after,
        int limit,
        CancellationToken cancellationToken
    )
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var start = after is { } c ? c.Step : fromStep;
        var skip = after?.SkipAtStep ?? 0;
        var points = new List<MetricPointDto>(Math.Min(limit, 16_384));
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = """
                SELECT step, value, time_ms FROM metric_points
                WHERE series_id = @series AND step >= @from AND step <= @to
                ORDER BY step, time_ms, value LIMIT @limit OFFSET @skip
                """;
            Add(cmd, "series", seriesId);
            Add(cmd, "from", start);
            Add(cmd, "to", toStep);
            Add(cmd, "limit", (long)limit + 1);
            Add(cmd, "skip", skip);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var value = reader.IsDBNull(1) ? double.NaN : reader.GetDouble(1);
                points.Add(new MetricPointDto(reader.GetInt64(0), value, value, value, reader.GetInt64(2)));
            }
        }
        if (points.Count <= limit)
        {
            return (points, null);
        }
        points.RemoveAt(points.Count - 1);
        var lastStep = points[^1].Step;
        long atStep = 0;
        for (var i = points.Count - 1; i >= 0 && points[i].Step == lastStep; i--)
            atStep++;
        // Points at lastStep already returned, including those skipped by an earlier page at the same step.
        if (after is { } prev && prev.Step == lastStep)
            atStep += prev.SkipAtStep;
        return (points, new HistoryCursor(lastStep, atStep));
    }

    /// <summary>At most <c>maxPoints</c> points covering [from, to]; buckets when the range holds more.
    /// <c>knownCount</c> is the number of points in the range when the caller knows it (the whole series).</summary>
    public async Task<(List<MetricPointDto> Points, long Count, bool Sampled)> ReadSampledAsync(
        long seriesId,
        long fromStep,
        long toStep,
        int maxPoints,
        long? knownCount,
        CancellationToken cancellationToken
    )
    {
        // A range that holds at most maxPoints points is answered with the points themselves.
        if ((knownCount ?? await CountUpToAsync(seriesId, fromStep, toStep, maxPoints + 1, cancellationToken).ConfigureAwait(false)) <= maxPoints)
        {
            var (raw, _) = await ReadPageAsync(seriesId, fromStep, toStep, null, maxPoints, cancellationToken).ConfigureAwait(false);
            return (raw, raw.Count, false);
        }

        var span = toStep - fromStep + 1;
        var wanted = (span + maxPoints - 1) / maxPoints;
        var level = RollupLevels.CoarsestAtMost(wanted);
        var unit = RollupLevels.Width(level);
        var origin = fromStep / unit * unit;
        var width = unit * ((((toStep - origin + 1) + maxPoints - 1) / maxPoints + unit - 1) / unit);
        var bucketCount = (int)((toStep - origin) / width + 1);
        var buckets = new Bucket[bucketCount];

        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (level == 0)
        {
            await AddRawAsync(connection, seriesId, fromStep, toStep, origin, width, buckets, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Level buckets wholly inside [from, to] come pre-aggregated; the partial ones at either edge from raw points.
            var firstFull = (fromStep + unit - 1) / unit;
            var lastFull = (toStep + 1) / unit - 1;
            if (firstFull > lastFull)
            {
                await AddRawAsync(connection, seriesId, fromStep, toStep, origin, width, buckets, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (fromStep < firstFull * unit)
                {
                    await AddRawAsync(connection, seriesId, fromStep, firstFull * unit - 1, origin, width, buckets, cancellationToken).ConfigureAwait(false);
                }
                await AddRollupsAsync(connection, seriesId, level, firstFull, lastFull, origin, width, buckets, cancellationToken).ConfigureAwait(false);
                if ((lastFull + 1) * unit <= toStep)
                {
                    await AddRawAsync(connection, seriesId, (lastFull + 1) * unit, toStep, origin, width, buckets, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var points = new List<MetricPointDto>(bucketCount);
        long count = 0;
        foreach (ref readonly var b in buckets.AsSpan())
        {
            if (b.Count == 0)
                continue;
            count += b.Count;
            points.Add(
                b.HasMinMax
                    ? new MetricPointDto(b.LastStep, b.LastValue, b.Min, b.Max, b.LastTime)
                    : new MetricPointDto(b.LastStep, b.LastValue, double.NaN, double.NaN, b.LastTime)
            );
        }
        return (points, count, true);
    }

    /// <summary>min(points in range, <paramref name="cap"/>) without reading more than <paramref name="cap"/> index entries.</summary>
    private async Task<long> CountUpToAsync(long seriesId, long from, long to, int cap, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM (SELECT 1 FROM metric_points WHERE series_id = @series AND step >= @from AND step <= @to LIMIT @cap) AS t";
        Add(cmd, "series", seriesId);
        Add(cmd, "from", from);
        Add(cmd, "to", to);
        Add(cmd, "cap", (long)cap);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task AddRawAsync(
        DbConnection connection,
        long seriesId,
        long from,
        long to,
        long origin,
        long width,
        Bucket[] buckets,
        CancellationToken cancellationToken
    )
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT step, value, time_ms FROM metric_points WHERE series_id = @series AND step >= @from AND step <= @to";
        Add(cmd, "series", seriesId);
        Add(cmd, "from", from);
        Add(cmd, "to", to);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var step = reader.GetInt64(0);
            double? value = reader.IsDBNull(1) ? null : reader.GetDouble(1);
            var v = value ?? double.NaN;
            double? extreme = double.IsNaN(v) ? null : v;
            buckets[(step - origin) / width].Add(1, step, v, reader.GetInt64(2), extreme, extreme);
        }
    }

    private static async Task AddRollupsAsync(
        DbConnection connection,
        long seriesId,
        int level,
        long firstBucket,
        long lastBucket,
        long origin,
        long width,
        Bucket[] buckets,
        CancellationToken cancellationToken
    )
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT bucket, count, last_step, last_value, last_time_ms, min_value, max_value FROM metric_rollups
            WHERE series_id = @series AND level = @level AND bucket >= @first AND bucket <= @last
            """;
        Add(cmd, "series", seriesId);
        Add(cmd, "level", level);
        Add(cmd, "first", firstBucket);
        Add(cmd, "last", lastBucket);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var lastStep = reader.GetInt64(2);
            buckets[(lastStep - origin) / width]
                .Add(
                    reader.GetInt64(1),
                    lastStep,
                    reader.IsDBNull(3) ? double.NaN : reader.GetDouble(3),
                    reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : reader.GetDouble(5),
                    reader.IsDBNull(6) ? null : reader.GetDouble(6)
                );
        }
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
