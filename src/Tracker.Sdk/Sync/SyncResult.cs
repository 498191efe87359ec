using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Sync;

/// <summary>What uploading one spool file did.</summary>
/// <param name="Path">The spool file.</param>
/// <param name="RunId">The run.</param>
/// <param name="Project">Its project.</param>
/// <param name="Batches">Batches sent.</param>
/// <param name="Points">Points in those batches.</param>
/// <param name="Accepted">Points the server stored now (the rest it already had).</param>
/// <param name="FinalState">The state set after the upload, when the spool recorded one.</param>
/// <param name="Skipped">Why the file was left alone (in use by a live run, unreadable); null when uploaded.</param>
public sealed record SyncResult(
    string Path,
    string RunId,
    string Project,
    int Batches,
    long Points,
    long Accepted,
    RunState? FinalState,
    string? Skipped = null
);
