namespace Tracker.Compute.Distributed;

/// <summary>Draws training rows from a stream of per-epoch permutations, so K workers × b rows see exactly the rows one worker × K·b would.</summary>
internal sealed class RowSampler
{
    private readonly int[] _order;
    private readonly Random _rng;
    private int _cursor;

    /// <summary>Creates a sampler over <paramref name="rows"/> rows; <paramref name="rng"/> reshuffles at each epoch start.</summary>
    public RowSampler(int rows, Random rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        _order = [.. Enumerable.Range(0, rows)];
        _rng = rng ?? throw new ArgumentNullException(nameof(rng));
        _cursor = rows;
    }

    /// <summary>Fills <paramref name="destination"/> with the next rows of the stream (an epoch boundary may fall inside it).</summary>
    public void Next(Span<int> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            if (_cursor == _order.Length)
            {
                _rng.Shuffle(_order);
                _cursor = 0;
            }

            destination[i] = _order[_cursor++];
        }
    }
}
