using System.Buffers;

namespace Tracker.Server.Ingest;

/// <summary>Folds a batch into per-series summary deltas and per-bucket rollup deltas, one pass per level,
/// over pooled buffers. Series come out in key order so that concurrent writers lock rows in one order.</summary>
internal sealed class BatchAggregator : IDisposable
{
    private int[] _order = [];
    private RollupRow[] _rollups = [];

    public SeriesAggregate[] Series { get; private set; } = [];
    public int SeriesCount { get; private set; }
    public ReadOnlySpan<RollupRow> Rollups => _rollups.AsSpan(0, RollupCount);
    public int RollupCount { get; private set; }

    public void Aggregate(MetricBatch batch)
    {
        var n = batch.Count;
        var keyCount = batch.Keys.Count;
        _order = ArrayPool<int>.Shared.Rent(Math.Max(n, 1));
        Series = ArrayPool<SeriesAggregate>.Shared.Rent(Math.Max(keyCount, 1));
        _rollups = ArrayPool<RollupRow>.Shared.Rent(Math.Max(n * RollupLevels.Count, 1));
        RollupCount = 0;

        // Keys in ordinal order → series rows locked in one global order (no deadlocks between batches).
        var rank = keyCount <= 256 ? stackalloc int[keyCount] : new int[keyCount];
        var sortedKeys = ArrayPool<int>.Shared.Rent(keyCount);
        for (var k = 0; k < keyCount; k++)
            sortedKeys[k] = k;
        Array.Sort(sortedKeys, 0, keyCount, Comparer<int>.Create((a, b) => string.CompareOrdinal(batch.Keys[a], batch.Keys[b])));
        for (var r = 0; r < keyCount; r++)
            rank[sortedKeys[r]] = r;

        // Stable counting sort of point indices by key rank.
        var start = keyCount + 1 <= 257 ? stackalloc int[keyCount + 1] : new int[keyCount + 1];
        start.Clear();
        var keyIds = batch.KeyIds;
        for (var i = 0; i < n; i++)
            start[rank[keyIds[i]] + 1]++;
        for (var r = 0; r < keyCount; r++)
            start[r + 1] += start[r];
        var fill = keyCount <= 256 ? stackalloc int[keyCount] : new int[keyCount];
        start[..keyCount].CopyTo(fill);
        for (var i = 0; i < n; i++)
            _order[fill[rank[keyIds[i]]]++] = i;

        var steps = batch.Steps;
        SeriesCount = 0;
        for (var r = 0; r < keyCount; r++)
        {
            var segment = _order.AsSpan(start[r], start[r + 1] - start[r]);
            if (segment.IsEmpty)
                continue; // a key interned by an earlier use of a reused batch
            SortByStep(segment, steps);
            Series[SeriesCount++] = Summarize(sortedKeys[r], segment, batch);
            for (var level = 1; level <= RollupLevels.Count; level++)
            {
                AddRollups(sortedKeys[r], level, segment, batch);
            }
        }
        ArrayPool<int>.Shared.Return(sortedKeys);
    }

    private static void SortByStep(Span<int> segment, long[] steps)
    {
        for (var i = 1; i < segment.Length; i++)
        {
            if (steps[segment[i]] < steps[segment[i - 1]])
            {
                // Out of order: stable sort by (step, arrival).
                segment.Sort((a, b) => steps[a] != steps[b] ? steps[a].CompareTo(steps[b]) : a.CompareTo(b));
                return;
            }
        }
    }

    private static SeriesAggregate Summarize(int keyId, ReadOnlySpan<int> segment, MetricBatch batch)
    {
        var first = segment[0];
        var last = segment[^1];
        var agg = new SeriesAggregate
        {
            KeyId = keyId,
            Count = segment.Length,
            FirstStep = batch.Steps[first],
            LastStep = batch.Steps[last],
            LastValue = batch.Values[last],
            LastTime = batch.Times[last],
        };
        foreach (var i in segment)
        {
            var v = batch.Values[i];
            if (double.IsNaN(v))
                continue;
            if (!agg.HasMinMax)
            {
                agg.HasMinMax = true;
                agg.Min = agg.Max = v;
                agg.MinStep = agg.MaxStep = batch.Steps[i];
                continue;
            }
            // Ties keep the earliest step: the first time the extreme was reached.
            if (v < agg.Min)
            {
                agg.Min = v;
                agg.MinStep = batch.Steps[i];
            }
            if (v > agg.Max)
            {
                agg.Max = v;
                agg.MaxStep = batch.Steps[i];
            }
        }
        return agg;
    }

    private void AddRollups(int keyId, int level, ReadOnlySpan<int> segment, MetricBatch batch)
    {
        var width = RollupLevels.Width(level);
        var row = default(RollupRow);
        var open = false;
        foreach (var i in segment)
        {
            var step = batch.Steps[i];
            var bucket = step / width;
            if (!open || bucket != row.Bucket)
            {
                if (open)
                    _rollups[RollupCount++] = row;
                row = new RollupRow
                {
                    KeyId = keyId,
                    Level = level,
                    Bucket = bucket,
                };
                open = true;
            }
            row.Count++;
            row.LastStep = step;
            row.LastValue = batch.Values[i];
            row.LastTime = batch.Times[i];
            var v = batch.Values[i];
            if (double.IsNaN(v))
                continue;
            if (!row.HasMinMax)
            {
                row.HasMinMax = true;
                row.Min = row.Max = v;
            }
            else
            {
                row.Min = Math.Min(row.Min, v);
                row.Max = Math.Max(row.Max, v);
            }
        }
        if (open)
            _rollups[RollupCount++] = row;
    }

    public void Dispose()
    {
        if (_order.Length > 0)
            ArrayPool<int>.Shared.Return(_order);
        if (Series.Length > 0)
            ArrayPool<SeriesAggregate>.Shared.Return(Series);
        if (_rollups.Length > 0)
            ArrayPool<RollupRow>.Shared.Return(_rollups);
        _order = [];
        Series = [];
        _rollups = [];
    }
}
