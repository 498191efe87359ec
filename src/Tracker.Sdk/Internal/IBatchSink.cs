namespace Tracker.Sdk.Internal;

/// <summary>Where the send loops (<see cref="BatchPump"/>) hand what they drain from the ring.</summary>
/// <remarks>
/// Production runs use <see cref="IngestSink"/> (the server, else the spool); a benchmark passes a sink of its own to
/// <see cref="TrackerRun.StartWithSink"/> to measure <c>Log</c> on the training thread without a server or a disk.
/// </remarks>
internal interface IBatchSink
{
    /// <summary>How many send loops may deliver at the same time (at least 1).</summary>
    int MaxConcurrentDeliveries { get; }

    /// <summary>How long a send loop may wait for points before <see cref="OnQuietAsync"/> is due.</summary>
    TimeSpan QuietWait();

    /// <summary>Takes one batch while its loop holds the drain turn; returns the body to deliver, or empty for nothing to deliver.</summary>
    /// <param name="first">The batch's points (the part before the ring wraps).</param>
    /// <param name="second">The rest of the batch's points.</param>
    /// <param name="json">The calling loop's serializer; the body it returns is valid until that loop's next batch.</param>
    ReadOnlyMemory<byte> Take(ReadOnlySpan<PointRing.Slot> first, ReadOnlySpan<PointRing.Slot> second, BatchJson json);

    /// <summary>Delivers a body returned by <see cref="Take"/>, outside the drain turn.</summary>
    Task DeliverAsync(ReadOnlyMemory<byte> body, int points, CancellationToken cancellationToken);

    /// <summary>Called when a loop waited <see cref="QuietWait"/> without points.</summary>
    Task OnQuietAsync(CancellationToken cancellationToken);

    /// <summary>Keeps points still in the ring after the loops stopped (the run is ending).</summary>
    void KeepLeftovers(ReadOnlySpan<PointRing.Slot> first, ReadOnlySpan<PointRing.Slot> second, BatchJson json);
}
