using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>What became of one ingest request.</summary>
internal enum SendStatus
{
    /// <summary>Acknowledged (stored now or already stored).</summary>
    Stored,

    /// <summary>Network error, timeout, 5xx, 408 or 429 after the retries: try again later.</summary>
    Transient,

    /// <summary>409: the run is not running.</summary>
    NotRunning,

    /// <summary>401, 403, 404 and other 4xx about the run or the key: keep the batch in the spool for <c>tracker sync</c>.</summary>
    Parked,

    /// <summary>400, 413, 422: the batch itself is invalid and never will be stored.</summary>
    Rejected,
}

/// <summary>The outcome of one ingest request: its status, the acknowledgement, or the server's problem.</summary>
internal readonly record struct SendResult(SendStatus Status, LogMetricsResponse? Ack = null, TrackerApiException? Problem = null, Exception? Error = null);
