using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Tracker.Server.Hosting;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Sql;

namespace Tracker.Server.Ingest;

/// <summary>SQLite ingest: prepared statements re-executed per row inside one IMMEDIATE transaction,
/// one writer at a time.</summary>
internal sealed class SqliteMetricWriter(SqliteConnectionFactory connections, IOptions<TrackerOptions> options) : IMetricWriter
{
    public async Task<IngestResult> WriteAsync(string runId, MetricBatch batch, long nowMs, CancellationToken cancellationToken)
    {
        await connections.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = (SqliteConnection)await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            return Write(connection, runId, batch, nowMs, options.Value.Limits.MaxSeriesPerRun);
        }
        finally
        {
            connections.WriteLock.Release();
        }
    }

    private static IngestResult Write(SqliteConnection connection, string runId, MetricBatch batch, long nowMs, int maxSeries)
    {
        using var tx = connection.BeginTransaction(deferred: false);
        if (batch.Fence is { } fence)
        {
            using var check = Command(connection, tx, IngestSql.CheckFence);
            check.Parameters.AddWithValue("@job", fence.JobId);
            check.Parameters.AddWithValue("@owner", fence.Owner);
            check.Parameters.AddWithValue("@attempt", fence.Attempt);
            if (check.ExecuteScalar() is null)
                return new IngestResult(IngestOutcome.Fenced);
        }
        using (var touch = Command(connection, tx, batch.AcceptsEndedRun ? IngestSql.TouchUncrashedRun : IngestSql.TouchRunningRun))
        {
            touch.Parameters.AddWithValue("@now", nowMs);
            touch.Parameters.AddWithValue("@run", runId);
            if (touch.ExecuteNonQuery() == 0)
            {
                using var stateCmd = Command(connection, tx, IngestSql.RunState);
                stateCmd.Parameters.AddWithValue("@run", runId);
                return stateCmd.ExecuteScalar() is string state
                    ? new IngestResult(IngestOutcome.RunNotRunning, State: Enum.Parse<Tracker.Sdk.Contracts.RunState>(state))
                    : new IngestResult(IngestOutcome.RunNotFound);
            }
        }
        using (var insertBatch = Command(connection, tx, IngestSql.InsertBatch))
        {
            insertBatch.Parameters.AddWithValue("@run", runId);
            insertBatch.Parameters.AddWithValue("@seq", batch.Seq);
            insertBatch.Parameters.AddWithValue("@n", batch.Count);
            insertBatch.Parameters.AddWithValue("@now", nowMs);
            if (insertBatch.ExecuteNonQuery() == 0)
            {
                tx.Commit(); // keeps the heartbeat
                return new IngestResult(IngestOutcome.Duplicate);
            }
        }
        if (batch.Count > 0)
        {
            using var aggregator = new BatchAggregator();
            aggregator.Aggregate(batch);
            var seriesIds = UpsertSeries(connection, tx, runId, batch, aggregator);
            using (var countSeries = Command(connection, tx, IngestSql.CountSeries))
            {
                countSeries.Parameters.AddWithValue("@run", runId);
                if (Convert.ToInt64(countSeries.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > maxSeries)
                {
                    tx.Rollback();
                    return new IngestResult(IngestOutcome.TooManySeries);
                }
            }
            InsertPoints(connection, tx, batch, seriesIds);
            UpsertRollups(connection, tx, aggregator, seriesIds);
        }
        tx.Commit();
        return new IngestResult(IngestOutcome.Stored, batch.Count);
    }

    private static long[] UpsertSeries(SqliteConnection connection, SqliteTransaction tx, string runId, MetricBatch batch, BatchAggregator aggregator)
    {
        var ids = new long[batch.Keys.Count];
        using var cmd = Command(connection, tx, IngestSql.SqliteUpsertSeries);
        cmd.Parameters.AddWithValue("@run", runId);
        var key = cmd.Parameters.Add("@key", SqliteType.Text);
        var count = cmd.Parameters.Add("@count", SqliteType.Integer);
        var first = cmd.Parameters.Add("@first", SqliteType.Integer);
        var last = cmd.Parameters.Add("@last", SqliteType.Integer);
        var lastValue = cmd.Parameters.Add("@lastValue", SqliteType.Real);
        var lastTime = cmd.Parameters.Add("@lastTime", SqliteType.Integer);
        var min = cmd.Parameters.Add("@min", SqliteType.Real);
        var minStep = cmd.Parameters.Add("@minStep", SqliteType.Integer);
        var max = cmd.Parameters.Add("@max", SqliteType.Real);
        var maxStep = cmd.Parameters.Add("@maxStep", SqliteType.Integer);
        cmd.Prepare();
        for (var i = 0; i < aggregator.SeriesCount; i++)
        {
            ref readonly var s = ref aggregator.Series[i];
            key.Value = batch.Keys[s.KeyId];
            count.Value = s.Count;
            first.Value = s.FirstStep;
            last.Value = s.LastStep;
            lastValue.Value = SqliteValues.ToDb(s.LastValue);
            lastTime.Value = s.LastTime;
            min.Value = s.HasMinMax ? s.Min : DBNull.Value;
            minStep.Value = s.HasMinMax ? s.MinStep : DBNull.Value;
            max.Value = s.HasMinMax ? s.Max : DBNull.Value;
            maxStep.Value = s.HasMinMax ? s.MaxStep : DBNull.Value;
            using var reader = cmd.ExecuteReader();
            reader.Read();
            ids[s.KeyId] = reader.GetInt64(0);
        }
        return ids;
    }

    private static void InsertPoints(SqliteConnection connection, SqliteTransaction tx, MetricBatch batch, long[] seriesIds)
    {
        using var cmd = Command(connection, tx, IngestSql.SqliteInsertPoint);
        var series = cmd.Parameters.Add("@series", SqliteType.Integer);
        var step = cmd.Parameters.Add("@step", SqliteType.Integer);
        var value = cmd.Parameters.Add("@value", SqliteType.Real);
        var time = cmd.Parameters.Add("@time", SqliteType.Integer);
        cmd.Prepare();
        for (var i = 0; i < batch.Count; i++)
        {
            series.Value = seriesIds[batch.KeyIds[i]];
            step.Value = batch.Steps[i];
            value.Value = SqliteValues.ToDb(batch.Values[i]);
            time.Value = batch.Times[i];
            cmd.ExecuteNonQuery();
        }
    }

    private static void UpsertRollups(SqliteConnection connection, SqliteTransaction tx, BatchAggregator aggregator, long[] seriesIds)
    {
        using var cmd = Command(connection, tx, IngestSql.SqliteUpsertRollup);
        var series = cmd.Parameters.Add("@series", SqliteType.Integer);
        var level = cmd.Parameters.Add("@level", SqliteType.Integer);
        var bucket = cmd.Parameters.Add("@bucket", SqliteType.Integer);
        var count = cmd.Parameters.Add("@count", SqliteType.Integer);
        var lastStep = cmd.Parameters.Add("@lastStep", SqliteType.Integer);
        var lastValue = cmd.Parameters.Add("@lastValue", SqliteType.Real);
        var lastTime = cmd.Parameters.Add("@lastTime", SqliteType.Integer);
        var min = cmd.Parameters.Add("@min", SqliteType.Real);
        var max = cmd.Parameters.Add("@max", SqliteType.Real);
        cmd.Prepare();
        foreach (ref readonly var r in aggregator.Rollups)
        {
            series.Value = seriesIds[r.KeyId];
            level.Value = r.Level;
            bucket.Value = r.Bucket;
            count.Value = r.Count;
            lastStep.Value = r.LastStep;
            lastValue.Value = SqliteValues.ToDb(r.LastValue);
            lastTime.Value = r.LastTime;
            min.Value = r.HasMinMax ? r.Min : DBNull.Value;
            max.Value = r.HasMinMax ? r.Max : DBNull.Value;
            cmd.ExecuteNonQuery();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql) => new(sql, connection, tx);
}
