using Npgsql;
using Tracker.Server.Ingest;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Ingest;

/// <summary>A COPY of points interrupted by its token ends in <see cref="OperationCanceledException"/>, not in PostgreSQL's
/// complaint about the torn row that completing the COPY would send (which once turned an experiment stopped at its time
/// limit into "failed" with a 22P04 error).</summary>
public sealed class PointCopyCancellationTests
{
    [Fact]
    public async Task A_copy_cancelled_midway_throws_cancellation_and_stores_nothing()
    {
        await using var connection = new NpgsqlConnection(PostgresCluster.Instance.CreateDatabase("copy"));
        await connection.OpenAsync();
        await using (
            var create = new NpgsqlCommand("CREATE TABLE metric_points (series_id bigint, step bigint, value double precision, time_ms bigint)", connection)
        )
            await create.ExecuteNonQueryAsync();
        using var batch = new MetricBatch(2_000_000);
        var key = batch.InternKey("loss");
        for (var s = 0; s < 2_000_000; s++)
            batch.Add(key, s, 1.0 / (s + 1), s);

        // Cancelled while the encoder sends the points (2 million rows take far longer than 20 ms to send).
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PostgresMetricWriter.CopyPointsAsync(connection, batch, [1], cancel.Token));

        await using var check = new NpgsqlConnection(connection.ConnectionString);
        await check.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM metric_points", check);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }
}
