using System.Text;
using Tracker.Server.Ingest;

namespace Tracker.Server.Tests.Ingest;

public sealed class MetricBatchParserTests
{
    private static (BatchParseError? Error, MetricBatch Batch) Parse(string json)
    {
        var batch = new MetricBatch();
        return (MetricBatchParser.Parse(Encoding.UTF8.GetBytes(json), 1000, 1_700_000_000_000, batch), batch);
    }

    [Fact]
    public void A_key_repeated_raw_and_escaped_is_one_series()
    {
        var (error, batch) = Parse(
            """
            {"seq": 1, "points": [
              {"key": "loss", "step": 0, "value": 1.0},
              {"key": "val_loss", "step": 0, "value": 2.0},
              {"key": "loss", "step": 1, "value": 0.5},
              {"key": "\u006coss", "step": 2, "value": 0.25},
              {"key": "val_loss", "step": 1, "value": 1.5}
            ]}
            """
        );
        using var _ = batch;
        Assert.Null(error);
        Assert.Equal(["loss", "val_loss"], batch.Keys);
        Assert.Equal([0, 1, 0, 0, 1], batch.KeyIds.AsSpan(0, batch.Count).ToArray());
        Assert.Equal([0L, 0, 1, 2, 1], batch.Steps.AsSpan(0, batch.Count).ToArray());
    }

    [Fact]
    public void An_invalid_key_after_valid_repeated_ones_is_still_rejected_by_index()
    {
        var (error, batch) = Parse(
            """
            {"seq": 1, "points": [
              {"key": "loss", "step": 0, "value": 1.0},
              {"key": "loss", "step": 1, "value": 0.5},
              {"key": "bad key!", "step": 2, "value": 0.25}
            ]}
            """
        );
        using var _ = batch;
        Assert.NotNull(error);
        Assert.Equal("points[2].key", error.Field);
    }
}
