using Microsoft.Extensions.Options;
using Npgsql;
using Tracker.Server.Hosting;
using Tracker.Server.Storage.Sql;

namespace Tracker.Server.Ingest;

/// <summary>PostgreSQL ingest: summaries and rollups as one <c>INSERT … SELECT unnest … ON CONFLICT</c> each,
/// points through binary COPY, all in one transaction.</summary>
internal sealed class PostgresMetricWriter(NpgsqlDataSource dataSource, IOptions<TrackerOptions> options) : IMetricWriter
{
    public async Task<IngestResult> WriteAsync(string runId, MetricBatch batch, long nowMs, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        if (batch.Fence is { } fence)
        {
            await using var check = new NpgsqlCommand(IngestSql.PostgresCheckFence, connection, tx);
            check.Parameters.AddWithValue("job", fence.JobId);
            check.Parameters.AddWithValue("owner", fence.Owner);
            check.Parameters.AddWithValue("attempt", fence.Attempt);
            if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                return new IngestResult(IngestOutcome.Fenced);
        }

        // The run row is locked until commit: batches of one run are applied one after another.
        await using (var touch = new NpgsqlCommand(batch.AcceptsEndedRun ? IngestSql.TouchUncrashedRun : IngestSql.TouchRunningRun, connection, tx))
        {
            touch.Parameters.AddWithValue("now", nowMs);
            touch.Parameters.AddWithValue("run", runId);
            if (await touch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return await NotRunningAsync(connection, tx, runId, cancellationToken).ConfigureAwait(false);
            }
        }

        await using (var insertBatch = new NpgsqlCommand(IngestSql.InsertBatch, connection, tx))
        {
            insertBatch.Parameters.AddWithValue("run", runId);
            insertBatch.Parameters.AddWithValue("seq", batch.Seq);
            insertBatch.Parameters.AddWithValue("n", batch.Count);
            insertBatch.Parameters.AddWithValue("now", nowMs);
            if (await insertBatch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false); // keeps the heartbeat
                return new IngestResult(IngestOutcome.Duplicate);
            }
        }

        if (batch.Count > 0)
        {
            using var aggregator = new BatchAggregator();
            aggregator.Aggregate(batch);
            var seriesIds = await UpsertSeriesAsync(connection, tx, runId, batch, aggregator, cancellationToken).ConfigureAwait(false);
            await using (var countSeries = new NpgsqlCommand(IngestSql.CountSeries, connection, tx))
            {
                countSeries.Parameters.AddWithValue("run", runId);
                if ((long)(await countSeries.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > options.Value.Limits.MaxSeriesPerRun)
                {
                    await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return new IngestResult(IngestOutcome.TooManySeries);
                }
            }
            await CopyPointsAsync(connection, batch, seriesIds, cancellationToken).ConfigureAwait(false);
            await UpsertRollupsAsync(connection, tx, aggregator, seriesIds, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new IngestResult(IngestOutcome.Stored, batch.Count);
    }

    private static async Task<IngestResult> NotRunningAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        string runId,
        CancellationToken cancellationToken
    )
    {
        await using var cmd = new NpgsqlCommand(IngestSql.RunState, connection, tx);
        cmd.Parameters.AddWithValue("run", runId);
        var state = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        return state is null
            ? new IngestResult(IngestOutcome.RunNotFound)
            : new IngestResult(IngestOutcome.RunNotRunning, State: Enum.Parse<Tracker.Sdk.Contracts.RunState>(state));
    }

    private static async Task<long[]> UpsertSeriesAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        string runId,
        MetricBatch batch,
        BatchAggregator aggregator,
        CancellationToken cancellationToken
    )
    {
        var n = aggregator.SeriesCount;
        var keys = new string[n];
        var counts = new long[n];
        var firsts = new long[n];
        var lasts = new long[n];
        var lastValues = new double[n];
        var lastTimes = new long[n];
        var mins = new double?[n];
        var minSteps = new long?[n];
        var maxs = new double?[n];
        var maxSteps = new long?[n];
        for (var i = 0; i < n; i++)
        {
            ref readonly var s = ref aggregator.Series[i];
            keys[i] = batch.Keys[s.KeyId];
            counts[i] = s.Count;
            firsts[i] = s.FirstStep;
            lasts[i] = s.LastStep;
            lastValues[i] = s.LastValue;
            lastTimes[i] = s.LastTime;
            if (s.HasMinMax)
            {
                mins[i] = s.Min;
                minSteps[i] = s.MinStep;
                maxs[i] = s.Max;
                maxSteps[i] = s.MaxStep;
            }
        }
        await using var cmd = new NpgsqlCommand(IngestSql.PostgresUpsertSeries, connection, tx);
        cmd.Parameters.AddWithValue("run", runId);
        cmd.Parameters.AddWithValue("keys", keys);
        cmd.Parameters.AddWithValue("counts", counts);
        cmd.Parameters.AddWithValue("firsts", firsts);
        cmd.Parameters.AddWithValue("lasts", lasts);
        cmd.Parameters.AddWithValue("lastValues", lastValues);
        cmd.Parameters.AddWithValue("lastTimes", lastTimes);
        cmd.Parameters.AddWithValue("mins", mins);
        cmd.Parameters.AddWithValue("minSteps", minSteps);
        cmd.Parameters.AddWithValue("maxs", maxs);
        cmd.Parameters.AddWithValue("maxSteps", maxSteps);

        var ids = new long[batch.Keys.Count];
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var lookup = new Dictionary<string, int>(batch.Keys.Count, StringComparer.Ordinal);
        for (var k = 0; k < batch.Keys.Count; k++)
            lookup[batch.Keys[k]] = k;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids[lookup[reader.GetString(1)]] = reader.GetInt64(0);
        }
        return ids;
    }

    /// <summary>COPYs the batch's points; a write that stops midway (cancelled, or failed) cancels the COPY and rethrows.</summary>
    internal static async Task CopyPointsAsync(NpgsqlConnection connection, MetricBatch batch, long[] seriesIds, CancellationToken cancellationToken)
    {
        var copy = await connection.BeginRawBinaryCopyAsync(IngestSql.PostgresCopyPoints, cancellationToken).ConfigureAwait(false);
        try
        {
            await PointCopyEncoder.WriteAsync(copy, batch, seriesIds, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Disposing a raw COPY completes it: after a write that stopped midway that sends a torn row, and PostgreSQL's
            // answer (22P04, bad COPY format) would replace the real cause (a cancelled experiment once ended "failed" with
            // it instead of "exceeded MaxDuration"). Cancelling discards the COPY; on a connection the interrupted write
            // left broken neither the cancel nor the disposal can succeed, and their errors are not the cause either.
            try
            {
                await copy.CancelAsync().ConfigureAwait(false);
                await copy.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception cleanup) when (cleanup is NpgsqlException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
            { }
            // Npgsql reports a socket write cut by the token as "Exception while writing to stream" (the cancellation
            // inside): to the caller it is the cancellation it asked for.
            if (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
                throw new OperationCanceledException("The COPY of the batch's points was cancelled.", e, cancellationToken);
            throw;
        }
        await copy.DisposeAsync().ConfigureAwait(false); // completes the COPY
    }

    private static async Task UpsertRollupsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        BatchAggregator aggregator,
        long[] seriesIds,
        CancellationToken cancellationToken
    )
    {
        var rows = aggregator.Rollups;
        var n = rows.Length;
        var series = new long[n];
        var levels = new int[n];
        var buckets = new long[n];
        var counts = new long[n];
        var lastSteps = new long[n];
        var lastValues = new double[n];
        var lastTimes = new long[n];
        var mins = new double?[n];
        var maxs = new double?[n];
        for (var i = 0; i < n; i++)
        {
            ref readonly var r = ref rows[i];
            series[i] = seriesIds[r.KeyId];
            levels[i] = r.Level;
            buckets[i] = r.Bucket;
            counts[i] = r.Count;
            lastSteps[i] = r.LastStep;
            lastValues[i] = r.LastValue;
            lastTimes[i] = r.LastTime;
            if (r.HasMinMax)
            {
                mins[i] = r.Min;
                maxs[i] = r.Max;
            }
        }
        await using var cmd = new NpgsqlCommand(IngestSql.PostgresUpsertRollups, connection, tx);
        cmd.Parameters.AddWithValue("series", series);
        cmd.Parameters.AddWithValue("levels", levels);
        cmd.Parameters.AddWithValue("buckets", buckets);
        cmd.Parameters.AddWithValue("counts", counts);
        cmd.Parameters.AddWithValue("lastSteps", lastSteps);
        cmd.Parameters.AddWithValue("lastValues", lastValues);
        cmd.Parameters.AddWithValue("lastTimes", lastTimes);
        cmd.Parameters.AddWithValue("mins", mins);
        cmd.Parameters.AddWithValue("maxs", maxs);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
