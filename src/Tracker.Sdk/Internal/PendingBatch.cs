namespace Tracker.Sdk.Internal;

/// <summary>A spooled batch not yet acknowledged: where it lies in the spool and how many points it holds.</summary>
internal readonly record struct PendingBatch(long Offset, int Length, int Points);
