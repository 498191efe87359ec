using System.Collections.Concurrent;

namespace Tracker.Server.Artifacts;

/// <summary>The best retained checkpoint of each run with checkpoints, as the last retention pass found it; the ingest
/// acknowledgement's stop advice names it without a database read.</summary>
internal sealed class BestCheckpoints
{
    private readonly ConcurrentDictionary<string, string> _best = new(StringComparer.Ordinal);

    /// <summary>The path of the run's best checkpoint, when it has one.</summary>
    public string? PathOf(string runId) => _best.TryGetValue(runId, out var path) ? path : null;

    public void Set(string runId, string? path)
    {
        if (path is null)
            _best.TryRemove(runId, out _);
        else
            _best[runId] = path;
    }
}
