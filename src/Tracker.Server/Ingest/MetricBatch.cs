using System.Buffers;

namespace Tracker.Server.Ingest;

/// <summary>A parsed ingest batch in columnar form over pooled arrays; keys are interned per batch.</summary>
internal sealed class MetricBatch : IDisposable
{
    private readonly Dictionary<string, int> _keyIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _keyLookup;

    public MetricBatch(int capacity = 256)
    {
        _keyLookup = _keyIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        KeyIds = ArrayPool<int>.Shared.Rent(capacity);
        Steps = ArrayPool<long>.Shared.Rent(capacity);
        Values = ArrayPool<double>.Shared.Rent(capacity);
        Times = ArrayPool<long>.Shared.Rent(capacity);
    }

    /// <summary>The batch's sequence number.</summary>
    public long Seq { get; set; }

    /// <summary>Whether a run that ended (finished, failed, killed) takes the batch without changing state, as MLflow
    /// lets a client log to a run whatever its status; a crashed run still refuses it (its caller reopens it first).</summary>
    public bool AcceptsEndedRun { get; set; }

    /// <summary>When set, the batch is stored only while the experiment job it names is still owned by that lease.</summary>
    public IngestFence? Fence { get; set; }

    /// <summary>Number of points.</summary>
    public int Count { get; private set; }

    /// <summary>Distinct keys, indexed by <see cref="KeyIds"/>.</summary>
    public List<string> Keys { get; } = [];

    public int[] KeyIds { get; private set; }
    public long[] Steps { get; private set; }
    public double[] Values { get; private set; }
    public long[] Times { get; private set; }

    /// <summary>The id of a key seen before in this batch given as its raw (unescaped) UTF-8 bytes, or -1: a batch of
    /// many points over few keys then validates and transcodes each key once, not once per point.</summary>
    public int FindKeyUtf8(ReadOnlySpan<byte> utf8)
    {
        // Batches usually cycle through their keys in one order: start after the last match, so that is one comparison.
        var keys = _utf8Keys;
        for (int n = 0, i = _lastUtf8Match + 1; n < keys.Count; n++, i++)
        {
            if (i >= keys.Count)
                i = 0;
            if (utf8.SequenceEqual(keys[i]))
                return _lastUtf8Match = i;
        }
        return -1;
    }

    /// <summary>Remembers the raw UTF-8 bytes of the key just interned with id <paramref name="keyId"/> (for the first
    /// <see cref="MaxUtf8Keys"/> keys; later ones take the transcoding path).</summary>
    public void RememberKeyUtf8(ReadOnlySpan<byte> utf8, int keyId)
    {
        if (keyId == _utf8Keys.Count && keyId < MaxUtf8Keys)
            _utf8Keys.Add(utf8.ToArray());
    }

    /// <summary>How many keys <see cref="FindKeyUtf8"/> scans (a linear scan beats hashing for a handful of keys).</summary>
    public const int MaxUtf8Keys = 32;

    private readonly List<byte[]> _utf8Keys = [];
    private int _lastUtf8Match = -1;

    /// <summary>Interns <paramref name="key"/> without allocating when it was seen before.</summary>
    public int InternKey(ReadOnlySpan<char> key)
    {
        if (_keyLookup.TryGetValue(key, out var id))
        {
            return id;
        }
        var s = key.ToString();
        id = Keys.Count;
        Keys.Add(s);
        _keyIndex.Add(s, id);
        return id;
    }

    /// <summary>Appends one point.</summary>
    public void Add(int keyId, long step, double value, long timeMs)
    {
        if (Count == Steps.Length)
        {
            Grow();
        }
        KeyIds[Count] = keyId;
        Steps[Count] = step;
        Values[Count] = value;
        Times[Count] = timeMs;
        Count++;
    }

    /// <summary>Empties the batch for reuse, keeping its buffers and interned keys.</summary>
    public void Clear() => Count = 0;

    private void Grow()
    {
        var n = Steps.Length * 2;
        KeyIds = Regrow(KeyIds, n, Count);
        Steps = Regrow(Steps, n, Count);
        Values = Regrow(Values, n, Count);
        Times = Regrow(Times, n, Count);
    }

    private static T[] Regrow<T>(T[] old, int size, int count)
    {
        var next = ArrayPool<T>.Shared.Rent(size);
        Array.Copy(old, next, count);
        ArrayPool<T>.Shared.Return(old);
        return next;
    }

    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(KeyIds);
        ArrayPool<long>.Shared.Return(Steps);
        ArrayPool<double>.Shared.Return(Values);
        ArrayPool<long>.Shared.Return(Times);
        KeyIds = [];
        Steps = [];
        Values = [];
        Times = [];
    }
}
