namespace Tracker.Server.Ingest;

/// <summary>The lease token a hosted experiment's batches carry: the writer stores the batch only while the job is still
/// running under this owner and attempt, checked in the batch's own transaction (fencing a worker that lost its lease).</summary>
internal sealed record IngestFence(long JobId, string Owner, int Attempt);
