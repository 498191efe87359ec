using Npgsql;
using NpgsqlTypes;

namespace Tracker.Bench.Ingest;

/// <summary>The baseline: Npgsql binary COPY into a table identical to <c>metric_points</c> (same columns, same index),
/// in batches of the same size, each its own transaction, from the same number of concurrent connections.</summary>
internal static class RawCopy
{
    public static async Task<double> RowsPerSecondAsync(string connectionString, int clients, int rowsPerClient, int batchSize)
    {
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync();
            await using var ddl = new NpgsqlCommand("""
                CREATE TABLE metric_points (series_id bigint NOT NULL, step bigint NOT NULL, value double precision NULL, time_ms bigint NOT NULL);
                CREATE INDEX ix_metric_points_series_id_step_time_ms_value ON metric_points (series_id, step, time_ms, value);
                """, conn);
            await ddl.ExecuteNonQueryAsync();
        }
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync();
            for (var done = 0; done < rowsPerClient; done += batchSize)
            {
                var n = Math.Min(batchSize, rowsPerClient - done);
                await using var tx = await conn.BeginTransactionAsync();
                await using (var importer = await conn.BeginBinaryImportAsync("COPY metric_points (series_id, step, value, time_ms) FROM STDIN (FORMAT BINARY)"))
                {
                    for (var i = 0; i < n; i++)
                    {
                        var step = (long)(done + i) / 4;
                        importer.StartRow();
                        importer.Write((long)(c * 4 + i % 4), NpgsqlDbType.Bigint);
                        importer.Write(step, NpgsqlDbType.Bigint);
                        importer.Write(Math.Exp(-step / 1e5), NpgsqlDbType.Double);
                        importer.Write(1_700_000_000_000L + step, NpgsqlDbType.Bigint);
                    }
                    await importer.CompleteAsync();
                }
                await tx.CommitAsync();
            }
        })));
        return clients * (double)rowsPerClient / sw.Elapsed.TotalSeconds;
    }
}
