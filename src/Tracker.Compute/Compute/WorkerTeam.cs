namespace Tracker.Compute.Compute;

/// <summary>Runs a row-partitioned job on a fixed team of threads without allocating per call.</summary>
/// <remarks>
/// The partition of rows into blocks depends only on the row count and the team size, so a
/// reduction that sums the blocks' partial results in block order is deterministic for a
/// given machine. When the team is busy (another caller holds it) the caller runs the same
/// blocks itself, one after another: contention costs speed, never bits.
/// </remarks>
internal sealed class WorkerTeam : IDisposable
{
    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _start;
    private readonly CountdownEvent _done;
    private readonly Lock _gate = new();
    private IRowBlockJob? _job;
    private int _rows;
    private volatile bool _disposed;
    private Exception? _failure;

    /// <summary>The team shared by the process: one member per core.</summary>
    public static WorkerTeam Shared { get; } = new(Environment.ProcessorCount);

    /// <summary>Creates a team of <paramref name="size"/> members (the caller counts as one).</summary>
    public WorkerTeam(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
        _threads = new Thread[size - 1];
        _start = new ManualResetEventSlim[size - 1];
        _done = new CountdownEvent(1);
        // The event creates its kernel handle lazily, on the first wait that has to block: create it now, so that no
        // later Run allocates (a zero-allocation step must not depend on whether the workers were late once).
        _ = _done.WaitHandle;
        for (var i = 0; i < _threads.Length; i++)
        {
            _start[i] = new ManualResetEventSlim(false, spinCount: 2000);
            _ = _start[i].WaitHandle;
            var member = i + 1;
            _threads[i] = new Thread(() => Work(member)) { IsBackground = true, Name = $"compute-{member}" };
            _threads[i].Start();
        }
    }

    /// <summary>Number of members, the caller included.</summary>
    public int Size { get; }

    /// <summary>The rows [start, end) of block <paramref name="block"/> out of <paramref name="blocks"/>.</summary>
    public static (int Start, int End) BlockRange(int rows, int blocks, int block)
    {
        var start = (int)((long)rows * block / blocks);
        var end = (int)((long)rows * (block + 1) / blocks);
        return (start, end);
    }

    /// <summary>Runs <paramref name="job"/> over <paramref name="rows"/> rows split into <see cref="Size"/> blocks.</summary>
    /// <returns>The number of blocks used: 1 when <paramref name="rows"/> is too small to split, otherwise <see cref="Size"/>.</returns>
    public int Run(IRowBlockJob job, int rows, int minRowsPerBlock = 1)
    {
        ArgumentNullException.ThrowIfNull(job);
        var blocks = Math.Clamp(rows / Math.Max(1, minRowsPerBlock), 1, Size);
        if (blocks == 1)
        {
            job.Execute(0, 0, rows);
            return 1;
        }

        if (!_gate.TryEnter())
        {
            // Another caller (e.g. a concurrent hosted experiment) holds the team: keep the partition,
            // so a reduction over the blocks adds its partials in the same order as with the team.
            for (var b = 0; b < Size; b++)
            {
                var (start, end) = BlockRange(rows, Size, b);
                job.Execute(b, start, end);
            }

            return Size;
        }

        try
        {
            // A busy team runs jobs with the full team, so the block count is always Size or 1.
            blocks = Size;
            _job = job;
            _rows = rows;
            _failure = null;
            _done.Reset(blocks - 1);
            for (var i = 0; i < blocks - 1; i++)
            {
                _start[i].Set();
            }

            var (s, e) = BlockRange(rows, blocks, 0);
            job.Execute(0, s, e);
            _done.Wait();
            _job = null;
            if (_failure is { } failure)
            {
                throw new AggregateException(failure);
            }

            return blocks;
        }
        finally
        {
            _gate.Exit();
        }
    }

    private void Work(int member)
    {
        var start = _start[member - 1];
        while (true)
        {
            start.Wait();
            start.Reset();
            if (_disposed)
            {
                return;
            }

            try
            {
                var (s, e) = BlockRange(_rows, Size, member);
                _job!.Execute(member, s, e);
            }
            catch (Exception ex)
            {
                _failure = ex;
            }
            finally
            {
                _done.Signal();
            }
        }
    }

    /// <summary>Stops the team's threads.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var s in _start)
        {
            s.Set();
        }

        foreach (var t in _threads)
        {
            t.Join();
        }

        foreach (var s in _start)
        {
            s.Dispose();
        }

        _done.Dispose();
    }
}
