using System.Runtime.InteropServices;

namespace Tracker.Sdk.Internal;

/// <summary>
/// The bounded buffer between the training threads and the send loop: a ring of slots that many producers fill and
/// one consumer at a time drains (a Vyukov-style multi-producer ring).
/// </summary>
/// <remarks>
/// A producer reserves all the points of one <c>Log</c> call with a single compare-and-swap on the tail, writes them
/// into their slots and publishes each slot by writing its position + 1 into it; the consumer reads slots in order
/// while they are published, so a slow producer never exposes a half-written point. No lock is taken on either side.
/// The consumer is woken only when it went to sleep on an empty ring: a busy send loop costs producers nothing.
/// Memory: <see cref="SlotSizeInBytes"/> bytes per slot, allocated once.
/// </remarks>
internal sealed class PointRing
{
    /// <summary>Bytes one slot takes: the 32-byte point and its publication mark.</summary>
    public const int SlotSizeInBytes = 40;

    private readonly Slot[] _slots;
    private readonly long _capacity;
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private PaddedLong _tail; // next position to reserve (producers)
    private PaddedLong _head; // next position to read (the consumer)
    private int _sleeping;
    private volatile bool _completed;

    public PointRing(int capacity)
    {
        _slots = new Slot[capacity];
        _capacity = capacity;
    }

    /// <summary>Slots in the ring.</summary>
    public int Capacity => _slots.Length;

    /// <summary>True once <see cref="Complete"/> was called.</summary>
    public bool IsCompleted => _completed;

    /// <summary>Points written and not yet consumed (a snapshot).</summary>
    public long Count => Volatile.Read(ref _tail.Value) - Volatile.Read(ref _head.Value);

    /// <summary>Writes all of <paramref name="points"/> contiguously, or nothing when they do not fit (or the ring is completed).</summary>
    public bool TryWrite(ReadOnlySpan<LoggedPoint> points)
    {
        var n = points.Length;
        var pos = Volatile.Read(ref _tail.Value);
        while (true)
        {
            if (pos + n - Volatile.Read(ref _head.Value) > _capacity || _completed)
                return false;
            var seen = Interlocked.CompareExchange(ref _tail.Value, pos + n, pos);
            if (seen == pos)
                break;
            pos = seen;
        }
        var slots = _slots;
        var index = (int)(pos % _capacity);
        for (var i = 0; i < n; i++)
        {
            ref var slot = ref slots[index];
            slot.Point = points[i];
            Volatile.Write(ref slot.Published, pos + i + 1);
            if (++index == slots.Length)
                index = 0;
        }
        // The CAS above is a full fence, so either the consumer sees the new tail before sleeping, or we see it asleep.
        if (Volatile.Read(ref _sleeping) != 0 && Interlocked.Exchange(ref _sleeping, 0) != 0)
            _signal.Release();
        return true;
    }

    /// <summary>Stops accepting points and wakes the consumer.</summary>
    public void Complete()
    {
        _completed = true;
        Interlocked.Exchange(ref _sleeping, 0);
        _signal.Release();
    }

    /// <summary>
    /// Waits until a point is published (true), the ring is completed and empty (false), or <paramref name="idle"/> passed
    /// without a point (null). Only the one consumer calls it.
    /// </summary>
    public async ValueTask<bool?> WaitToReadAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        var spinner = new SpinWait();
        while (true)
        {
            var head = _head.Value;
            if (IsPublished(head))
                return true;
            if (Volatile.Read(ref _tail.Value) != head)
            {
                spinner.SpinOnce(sleep1Threshold: -1); // reserved, being written right now
                continue;
            }
            if (_completed)
                return false;
            Interlocked.Exchange(ref _sleeping, 1);
            if (Volatile.Read(ref _tail.Value) != head || _completed)
            {
                Interlocked.Exchange(ref _sleeping, 0);
                continue;
            }
            if (!await _signal.WaitAsync(idle, cancellationToken).ConfigureAwait(false))
            {
                Interlocked.Exchange(ref _sleeping, 0);
                if (Volatile.Read(ref _tail.Value) == _head.Value && !_completed)
                    return null;
            }
        }
    }

    /// <summary>The published points from the head, at most <paramref name="max"/>, as up to two spans (the ring wraps).</summary>
    /// <remarks>They stay valid until <see cref="Advance"/>; only the consumer calls this.</remarks>
    public int Peek(int max, out ReadOnlySpan<Slot> first, out ReadOnlySpan<Slot> second)
    {
        var head = _head.Value;
        var n = 0;
        while (n < max && IsPublished(head + n))
            n++;
        var start = (int)(head % _capacity);
        var firstLength = Math.Min(n, _slots.Length - start);
        first = new ReadOnlySpan<Slot>(_slots, start, firstLength);
        second = new ReadOnlySpan<Slot>(_slots, 0, n - firstLength);
        return n;
    }

    /// <summary>Frees the <paramref name="count"/> slots returned by <see cref="Peek"/> for producers.</summary>
    /// <remarks>Slots keep their key references until overwritten: keys are few and long-lived, and not clearing is cheaper.</remarks>
    public void Advance(int count) => Volatile.Write(ref _head.Value, _head.Value + count);

    /// <summary>Waits (spinning) until every reserved point is published; used once producers are done, before the last drain.</summary>
    public void WaitForWriters(TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var spinner = new SpinWait();
        var tail = Volatile.Read(ref _tail.Value);
        for (var p = _head.Value; p < tail; p++)
        {
            while (!IsPublished(p) && Environment.TickCount64 < deadline)
                spinner.SpinOnce();
        }
    }

    private bool IsPublished(long position) => Volatile.Read(ref _slots[(int)(position % _capacity)].Published) == position + 1;

    /// <summary>One slot: a point and the position + 1 it was published at.</summary>
    [StructLayout(LayoutKind.Auto)]
    public struct Slot
    {
        /// <summary>The point.</summary>
        public LoggedPoint Point;

        /// <summary>Position + 1 once published.</summary>
        public long Published;
    }

    /// <summary>A counter alone on its cache line, so producers and the consumer do not false-share.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedLong
    {
        [FieldOffset(64)]
        public long Value;
    }
}
