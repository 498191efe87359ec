using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Tracker.Server.Hosting;

namespace Tracker.Server.Analysis;

/// <summary>The runs' analyzers held in memory, one <see cref="RunAnalysisState"/> per run, and their eviction once a run
/// has been idle for <see cref="AnalysisOptions.IdleEviction"/> (it is rebuilt from storage when it is needed again).</summary>
internal sealed class AnalyzerCache(TimeProvider time, IOptions<TrackerOptions> options)
{
    private readonly ConcurrentDictionary<string, RunAnalysisState> _runs = new(StringComparer.Ordinal);
    private long _nextEvictionMs;

    /// <summary>The run's state, a new empty one (no analyzer yet) when it is not in memory.</summary>
    public RunAnalysisState GetOrAdd(string runId) => _runs.GetOrAdd(runId, _ => new RunAnalysisState());

    /// <summary>The run's state when it is in memory.</summary>
    public bool TryGet(string runId, out RunAnalysisState state) => _runs.TryGetValue(runId, out state!);

    /// <summary>Every run in memory (a live view: runs may come and go while it is enumerated).</summary>
    public IEnumerable<KeyValuePair<string, RunAnalysisState>> All => _runs;

    /// <summary>Forgets a run (deleted, or its data reset).</summary>
    public void Forget(string runId) => _runs.TryRemove(runId, out _);

    /// <summary>Drops runs idle for longer than the eviction time; does the scan at most once a minute, and skips a run
    /// whose gate is held (it is in use).</summary>
    public void EvictIdle()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now < Interlocked.Read(ref _nextEvictionMs))
            return;
        Interlocked.Exchange(ref _nextEvictionMs, now + 60_000);
        var idle = (long)options.Value.Analysis.IdleEviction.TotalMilliseconds;
        foreach (var (runId, state) in _runs)
        {
            if (now - state.LastUsedMs > idle && state.Gate.Wait(0))
            {
                try
                {
                    _runs.TryRemove(runId, out _);
                }
                finally
                {
                    state.Gate.Release();
                }
            }
        }
    }
}
