namespace Tracker.Sdk.Internal;

/// <summary>What a flush left behind.</summary>
/// <param name="UnsentPoints">Points in the spool that the server has not acknowledged (replayable).</param>
/// <param name="UnsentBatches">Batches holding them.</param>
/// <param name="ParkedPoints">Points kept in the spool after a 4xx about the run or key.</param>
/// <param name="SpoolPath">The spool file, when one was written.</param>
internal sealed record FlushReport(long UnsentPoints, int UnsentBatches, long ParkedPoints, string? SpoolPath)
{
    /// <summary>True when nothing remains for <c>tracker sync</c>.</summary>
    public bool Complete => UnsentPoints == 0 && ParkedPoints == 0;
}
