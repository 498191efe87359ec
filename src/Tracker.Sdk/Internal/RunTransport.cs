using System.Diagnostics;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>
/// Moves a run's points from the training thread to the server. It wires the collaborators and runs their lifecycle:
/// a bounded ring (<see cref="PointRing"/>), the send loops (<see cref="BatchPump"/>) feeding an <see cref="IBatchSink"/>
/// (<see cref="IngestSink"/>: <see cref="BatchDelivery"/> online, the spool offline), the spool and its ledger
/// (<see cref="RunSpool"/>), the replay loop (<see cref="SpoolReplay"/>, retried by <see cref="ReplayBackoff"/>), the heartbeat
/// (<see cref="RunHeartbeat"/>) and the spill of a full ring (<see cref="BackpressureSpill"/>).
/// </summary>
/// <remarks>
/// Order is kept: while any spooled batch is unacknowledged, new batches are appended to the spool behind it, and only
/// the replay loop sends them, oldest first. Each batch's body (with its <c>seq</c>) is written once, so a replay is idempotent.
/// </remarks>
internal sealed class RunTransport : IAsyncDisposable
{
    private const int MinCapacity = 256;
    private readonly PointRing _ring;
    private readonly RunServer? _server;
    private readonly RunSpool _spool;
    private readonly SpoolReplay? _replay;
    private readonly BatchPump _pump;
    private readonly BackpressureSpill _spill;
    private readonly LastValues _summary = new();
    private readonly Acknowledgements _acks = new();
    private readonly CancellationTokenSource _stop = new();

    /// <param name="header">The run's identity and creation body.</param>
    /// <param name="server">The server connection (null offline).</param>
    /// <param name="runReady">True when the run exists on the server already.</param>
    /// <param name="spoolDir">The spool folder.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="warnings">Where warnings go.</param>
    /// <param name="sink">Where drained batches go instead of the server or the spool (benchmarks); null for <see cref="IngestSink"/>.</param>
    public RunTransport(
        SpoolHeader header,
        RunServer? server,
        bool runReady,
        string spoolDir,
        RunOptions options,
        RunWarnings warnings,
        IBatchSink? sink = null
    )
    {
        _server = server;
        _ring = new PointRing(Math.Max(MinCapacity, options.ChannelCapacity));
        var seq = new BatchSequence();
        _spool = new RunSpool(spoolDir, header, online: server is not null);
        RunHeartbeat? heartbeat = null;
        BatchDelivery? delivery = null;
        if (server is not null)
        {
            _replay = new SpoolReplay(server, header, runReady, _spool, _acks, warnings, options.RetryBaseDelay, _stop.Token);
            heartbeat = new RunHeartbeat(server, header.RunId, options.HeartbeatInterval, _replay, _spool, warnings);
            delivery = new BatchDelivery(server, header.RunId, _spool, _replay, heartbeat, _acks, warnings);
        }
        sink ??= new IngestSink(
            _spool,
            seq,
            _summary,
            _acks,
            server is null ? new LocalAdvisor(header.Create.Config, warnings) : null,
            delivery,
            heartbeat,
            options.MaxRequestsInFlight
        );
        _pump = new BatchPump(_ring, sink, options.MaxBatchPoints);
        _spill = new BackpressureSpill(_ring, options.BackpressureTimeout, _spool, seq, _replay, warnings);
    }

    /// <summary>Raised on a send loop when an acknowledgement (or the offline advisor) carries advice.</summary>
    public event Action<AdviceDto>? AdviceReceived
    {
        add => _acks.AdviceReceived += value;
        remove => _acks.AdviceReceived -= value;
    }

    /// <summary>The spool file's path (whether or not it exists yet).</summary>
    public string SpoolPath => _spool.Path;

    /// <summary>Points acknowledged by the server.</summary>
    public long SentPoints => _acks.SentPoints;

    /// <summary>The server connection (null offline).</summary>
    public RunServer? Server => _server;

    /// <summary>True when the run may be PATCHed to its final state: it exists on the server and nothing is waiting.</summary>
    public bool CanFinishOnServer => _replay is { RunReady: true } && _spool.IsClear;

    /// <summary>Starts the send and replay loops.</summary>
    public void Start()
    {
        _pump.Start(_stop.Token);
        _replay?.Start(_stop.Token);
    }

    /// <summary>Queues the points of one call together; false when they do not fit or the run is finishing.</summary>
    public bool TryWrite(ReadOnlySpan<LoggedPoint> points) => _ring.TryWrite(points);

    /// <summary>Slow path of a write into a full ring (see <see cref="BackpressureSpill"/>).</summary>
    public void WriteSlow(ReadOnlySpan<LoggedPoint> points) => _spill.Write(points);

    /// <summary>Last values by key, as drained from the ring.</summary>
    public Dictionary<string, double> SummarySnapshot() => _summary.Snapshot();

    /// <summary>Stops accepting points and sends what is queued and spooled, for at most <paramref name="timeout"/>; then leaves whatever is unsent in the spool.</summary>
    public async Task<FlushReport> CompleteAsync(TimeSpan timeout)
    {
        _spill.Complete();
        _ring.Complete();
        var watch = Stopwatch.StartNew();
        var drained = await WaitAsync(_pump.Loops, timeout).ConfigureAwait(false);
        while (drained && _replay is not null && _spool.HasReplayable && watch.Elapsed < timeout)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.Loops.ConfigureAwait(false);
        if (_replay is not null)
            await _replay.Loop.ConfigureAwait(false);

        // Whatever the send loops had not taken yet goes to the spool, in batches.
        _pump.DrainLeftovers();
        return _spool.Report();
    }

    /// <summary>Records the final state in the spool (for <c>tracker sync</c>) and closes it; deletes it when <paramref name="delete"/>.</summary>
    public void CloseSpool(RunState? finalState, bool delete) => _spool.Close(finalState, delete);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_pump.Loops, _replay?.Loop ?? Task.CompletedTask).ConfigureAwait(false);
        _ring.Complete();
        _spool.Dispose();
        _server?.Dispose();
        _stop.Dispose();
        _pump.Dispose();
        _replay?.Dispose();
    }

    private static async Task<bool> WaitAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
