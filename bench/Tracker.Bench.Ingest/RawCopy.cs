using Npgsql;
using Tracker.Server.Ingest;

namespace Tracker.Bench.Ingest;

/// <summary>The baseline: binary COPY with the server's own encoder into a table identical to <c>metric_points</c> (same columns, same index),
/// in batches of the same size, each its own transaction, from the same number of concurrent connections.</summary>
internal static class RawCopy
{
    public static async Task<double> RowsPerSecondAsync(string connectionString, int clients, int rowsPerClient, int batchSize)
    {
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync();
            await using var ddl = new NpgsqlCommand(
                """
                CREATE TABLE metric_points (series_id bigint NOT NULL, step bigint NOT NULL, value double precision NULL, time_ms bigint NOT NULL);
                CREATE INDEX ix_metric_points_series_id_step_time_ms_value ON metric_points (series_id, step, time_ms, value);
                """,
                conn
            );
            await ddl.ExecuteNonQueryAsync();
        }
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(
            Enumerable
                .Range(0, clients)
                .Select(c =>
                    Task.Run(async () =>
                    {
                        await using var conn = new NpgsqlConnection(connectionString);
                        await conn.OpenAsync();
                        for (var done = 0; done < rowsPerClient; done += batchSize)
                        {
                            var n = Math.Min(batchSize, rowsPerClient - done);
                            await using var tx = await conn.BeginTransactionAsync();
                            await using (
                                var copy = await conn.BeginRawBinaryCopyAsync("COPY metric_points (series_id, step, value, time_ms) FROM STDIN (FORMAT BINARY)")
                            )
                            using (var encoder = new PointCopyEncoder(copy))
                            {
                                for (var i = 0; i < n; i++)
                                {
                                    var step = (long)(done + i) / 4;
                                    await encoder.AddAsync(c * 4 + i % 4, step, Math.Exp(-step / 1e5), 1_700_000_000_000L + step, CancellationToken.None);
                                }
                                await encoder.CompleteAsync(CancellationToken.None);
                            }
                            await tx.CommitAsync();
                        }
                    })
                )
        );
        return clients * (double)rowsPerClient / sw.Elapsed.TotalSeconds;
    }
}
