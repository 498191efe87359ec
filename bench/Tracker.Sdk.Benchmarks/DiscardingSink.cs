using Tracker.Sdk.Internal;

namespace Tracker.Sdk.Benchmarks;

/// <summary>A sink that drops every batch: the send loop only drains the ring, so <c>Log</c> is measured on the training thread alone.</summary>
internal sealed class DiscardingSink : IBatchSink
{
    public int MaxConcurrentDeliveries => 1;

    public TimeSpan QuietWait() => Timeout.InfiniteTimeSpan;

    public ReadOnlyMemory<byte> Take(ReadOnlySpan<PointRing.Slot> first, ReadOnlySpan<PointRing.Slot> second, BatchJson json) => default;

    public Task DeliverAsync(ReadOnlyMemory<byte> body, int points, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OnQuietAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void KeepLeftovers(ReadOnlySpan<PointRing.Slot> first, ReadOnlySpan<PointRing.Slot> second, BatchJson json) { }
}
