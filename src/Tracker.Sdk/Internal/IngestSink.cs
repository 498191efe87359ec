using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>
/// The production <see cref="IBatchSink"/>: records the summary, asks the offline advisor, serializes each batch once (with
/// its <c>seq</c>) and hands it to <see cref="BatchDelivery"/> online, or keeps it in the spool offline.
/// </summary>
internal sealed class IngestSink : IBatchSink
{
    private readonly RunSpool _spool;
    private readonly BatchSequence _seq;
    private readonly LastValues _summary;
    private readonly Acknowledgements _acks;
    private readonly LocalAdvisor? _advisor;
    private readonly BatchDelivery? _delivery;
    private readonly RunHeartbeat? _heartbeat;

    /// <param name="spool">The run's spool.</param>
    /// <param name="seq">Sequence numbers of the bodies.</param>
    /// <param name="summary">The last values, recorded as batches are taken.</param>
    /// <param name="acks">Where advice goes.</param>
    /// <param name="advisor">The offline advisor (null online: the server advises).</param>
    /// <param name="delivery">The direct send (null offline: everything goes to the spool, which is created now).</param>
    /// <param name="heartbeat">The heartbeat while the run is quiet (null offline).</param>
    /// <param name="maxRequestsInFlight">Concurrent deliveries online.</param>
    public IngestSink(
        RunSpool spool,
        BatchSequence seq,
        LastValues summary,
        Acknowledgements acks,
        LocalAdvisor? advisor,
        BatchDelivery? delivery,
        RunHeartbeat? heartbeat,
        int maxRequestsInFlight
    )
    {
        _spool = spool;
        _seq = seq;
        _summary = summary;
        _acks = acks;
        _advisor = advisor;
        _delivery = delivery;
        _heartbeat = heartbeat;
        MaxConcurrentDeliveries = delivery is null ? 1 : maxRequestsInFlight;
        if (delivery is null)
            spool.Ensure();
    }

    /// <inheritdoc />
    public int MaxConcurrentDeliveries { get; }

    /// <inheritdoc />
    public TimeSpan QuietWait() => _heartbeat?.Wait() ?? Timeout.InfiniteTimeSpan;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Take(ReadOnlySpan<PointRing.Slot> first, ReadOnlySpan<PointRing.Slot> second, BatchJson json)
    {
        _summary.Record(first, second);
        if (_advisor?.Observe(first, second) is { } advice)
            _acks.Advise(advice);
        return json.Write(_seq.Next(), first, second);
    }

    /// <inheritdoc />
    public Task DeliverAsync(ReadOnlyMemory<byte> body, int points, CancellationToken cancellationToken)
    {
        if (_delivery is not null)
            return _delivery.SendAsync(body, points, cancellationToken);
        _spool.Append(body.Span, points, pending: false);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task OnQuietAsync(CancellationToken cancellationToken) => _heartbeat?.IfQuietAsync(cancellationToken) ?? Task.CompletedTask;

    /// <inheritdoc />
    public void KeepLeftovers(ReadOnlySpan<PointRing.Slot> first, ReadOnlySpan<PointRing.Slot> second, BatchJson json)
    {
        _summary.Record(first, second);
        var body = json.Write(_seq.Next(), first, second);
        _spool.Append(body.Span, first.Length + second.Length, pending: _delivery is not null);
    }
}
