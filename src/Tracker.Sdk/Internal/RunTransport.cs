using System.Runtime.InteropServices;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>
/// Moves a run's points from the training thread to the server: a bounded ring (<see cref="PointRing"/>), send loops doing
/// group commit (each sends whatever accumulated as soon as it is free; at most <see cref="RunOptions.MaxRequestsInFlight"/>
/// requests are in flight), a spool for what cannot be sent, a replay loop, and a heartbeat while the run is quiet.
/// </summary>
/// <remarks>
/// Order is kept: while any spooled batch is unacknowledged, new batches are appended to the spool behind it, and only
/// the replay loop sends them, oldest first. Each batch's body (with its <c>seq</c>) is written once, so a replay is idempotent.
/// </remarks>
internal sealed partial class RunTransport : IAsyncDisposable
{
    private readonly PointRing _ring;
    private readonly SemaphoreSlim _drainTurn = new(1, 1);
    private readonly RunServer? _server;
    private readonly SpoolHeader _header;
    private readonly string _spoolDir;
    private readonly RunOptions _options;
    private readonly RunWarnings _warnings;
    private readonly Lock _gate = new();
    private readonly Queue<PendingBatch> _pending = new();
    private readonly Dictionary<string, double> _summary = new(StringComparer.Ordinal);
    private readonly BatchJson _json = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly long _seqBase;
    private SpoolFile? _spool;
    private long _seq;
    private long _pendingPoints;
    private long _parkedPoints;
    private long _sentPoints;
    private bool _runReady;
    private Task _sendLoop = Task.CompletedTask;
    private const int MinCapacity = 256;
    private readonly bool _discard;
    private readonly LocalAdvisor? _localAdvisor;

    public RunTransport(SpoolHeader header, RunServer? server, bool runReady, string spoolDir, RunOptions options, RunWarnings warnings, bool discard = false)
    {
        _discard = discard;
        _header = header;
        _server = server;
        _runReady = runReady;
        _spoolDir = spoolDir;
        _options = options;
        _warnings = warnings;
        _ring = new PointRing(Math.Max(MinCapacity, options.ChannelCapacity));
        _localAdvisor = server is null && !discard ? new LocalAdvisor(header.Create.Config, warnings) : null;
        _heartbeatInterval = options.HeartbeatInterval > TimeSpan.Zero ? options.HeartbeatInterval : Timeout.InfiniteTimeSpan;
        MarkContact();
        // Sequence numbers are unique across sessions of a resumed run: the session's start in ms, times 10^6, plus a counter.
        _seqBase = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        _replayPipeline = CreateReplayPipeline();
        if (server is null && !discard) EnsureSpool();
    }

    /// <summary>Raised on the send loop when an acknowledgement carries advice.</summary>
    public event Action<AdviceDto>? AdviceReceived;

    /// <summary>The spool file's path (whether or not it exists yet).</summary>
    public string SpoolPath => SpoolFile.PathFor(_spoolDir, _header.RunId);

    /// <summary>Points acknowledged by the server.</summary>
    public long SentPoints => Interlocked.Read(ref _sentPoints);

    /// <summary>Starts the send and replay loops.</summary>
    public void Start()
    {
        var loops = _server is null || _discard ? 1 : Math.Clamp(_options.MaxRequestsInFlight, 1, 4);
        _sendLoop = Task.WhenAll(Enumerable.Range(0, loops).Select(_ => Task.Run(SendLoopAsync)));
        if (_server is not null) _replayLoop = Task.Run(ReplayLoopAsync);
        if (!_runReady) SignalReplay();
    }

    /// <summary>Queues the points of one call together; false when they do not fit or the run is finishing.</summary>
    public bool TryWrite(ReadOnlySpan<LoggedPoint> points) => _ring.TryWrite(points);

    /// <summary>Last values by key, as drained from the ring.</summary>
    public Dictionary<string, double> SummarySnapshot()
    {
        lock (_summary) return new Dictionary<string, double>(_summary, StringComparer.Ordinal);
    }

    private long NextSeq() => _seqBase + Interlocked.Increment(ref _seq);

    /// <summary>
    /// One send loop: takes the drain turn, waits for points (sending a heartbeat when the run stays quiet), serializes
    /// what has accumulated straight from the ring, gives the turn to the next loop and sends.
    /// </summary>
    private async Task SendLoopAsync()
    {
        UnwindDetector.MarkSdkFlow();
        var json = new BatchJson();
        var maxPoints = Math.Clamp(_options.MaxBatchPoints, 1, 10_000);
        var token = _stop.Token;
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> body = default;
                var n = 0;
                await _drainTurn.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    var ready = await _ring.WaitToReadAsync(HeartbeatWait(), token).ConfigureAwait(false);
                    LoggedPoint.Resync();
                    if (ready == false) return;
                    if (ready == true)
                    {
                        n = _ring.Peek(maxPoints, out var first, out var second);
                        if (!_discard)
                        {
                            RecordSummary(first, second);
                            if (_localAdvisor?.Observe(first, second) is { } localAdvice) AdviceReceived?.Invoke(localAdvice);
                            body = json.Write(NextSeq(), first, second);
                        }
                        _ring.Advance(n);
                    }
                }
                finally
                {
                    _drainTurn.Release();
                }
                if (!body.IsEmpty) await DeliverAsync(body, n, token).ConfigureAwait(false);
                else if (n == 0) await HeartbeatIfQuietAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private void RecordSummary(ReadOnlySpan<PointRing.Slot> first, ReadOnlySpan<PointRing.Slot> second)
    {
        lock (_summary)
        {
            foreach (ref readonly var s in first) CollectionsMarshal.GetValueRefOrAddDefault(_summary, s.Point.Key, out _) = s.Point.Value;
            foreach (ref readonly var s in second) CollectionsMarshal.GetValueRefOrAddDefault(_summary, s.Point.Key, out _) = s.Point.Value;
        }
    }

    private async Task DeliverAsync(ReadOnlyMemory<byte> body, int points, CancellationToken token)
    {
        if (_server is null)
        {
            AppendToSpool(body.Span, points, pending: false);
            return;
        }
        lock (_gate)
        {
            if (_pending.Count > 0 || !_runReady)
            {
                AppendToSpoolLocked(body.Span, points, pending: true);
                SignalReplay();
                return;
            }
        }
        SendResult result;
        MarkContact();
        try
        {
            result = await _server.PostBatchAsync(body, retrying: true, token).ConfigureAwait(false);
            if (result.Status == SendStatus.NotRunning && await TryResumeAsync(result, token).ConfigureAwait(false))
            {
                result = await _server.PostBatchAsync(body, retrying: true, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            AppendToSpool(body.Span, points, pending: true);
            throw;
        }
        if (result.Status == SendStatus.Transient)
        {
            _warnings.Once("outage", $"server unreachable ({Describe(result)}); spooling to {SpoolPath} until it answers");
            AppendToSpool(body.Span, points, pending: true);
            SignalReplay();
            return;
        }
        OnAnswered(result, body.Span, points);
    }

    /// <summary>Handles a definite answer: counts an acknowledgement, parks or drops a refused batch with one warning.</summary>
    private void OnAnswered(in SendResult result, ReadOnlySpan<byte> body, int points)
    {
        switch (result.Status)
        {
            case SendStatus.Stored:
                Interlocked.Add(ref _sentPoints, result.Ack is { Duplicate: true } ? 0 : points);
                if (result.Ack?.Advice is { } advice) AdviceReceived?.Invoke(advice);
                break;
            case SendStatus.Rejected:
                _warnings.Warn($"server rejected a batch of {points} points and it was dropped: {result.Problem?.Message}");
                break;
            default:
                _warnings.Once($"parked:{(int?)result.Problem?.StatusCode}",
                    $"server refused a batch ({result.Problem?.Message}); it is kept in {SpoolPath} for `tracker sync`, and the run continues");
                AppendToSpool(body, points, pending: false);
                break;
        }
    }

    /// <summary>After a 409, resumes the run when the server marked it crashed (a long outage); true when it is running again.</summary>
    /// <remarks>A run found running was resumed between the 409 and this read (by the heartbeat on the other send loop, which
    /// met the crashed state first): the batch is sent again, not parked.</remarks>
    private async Task<bool> TryResumeAsync(SendResult result, CancellationToken token)
    {
        try
        {
            var run = await _server!.Client.GetRunAsync(_header.RunId, token).ConfigureAwait(false);
            if (run.State == RunState.Running) return true;
            if (run.State != RunState.Crashed) return false;
            await RunLifecycle.ResumeAsync(_server.Client, run, token).ConfigureAwait(false);
            _warnings.Warn($"run {_header.RunId} had been marked crashed by the server; resumed it ({result.Problem?.Detail})");
            return true;
        }
        catch (Exception e) when (RunServer.IsTransient(e, token) || e is Client.TrackerApiException)
        {
            return false;
        }
    }

    private static string Describe(in SendResult result) =>
        result.Problem?.Message ?? result.Error?.Message ?? "no answer";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_sendLoop, _replayLoop).ConfigureAwait(false);
        _ring.Complete();
        lock (_gate) _spool?.Dispose();
        _server?.Dispose();
        _stop.Dispose();
        _drainTurn.Dispose();
    }
}
