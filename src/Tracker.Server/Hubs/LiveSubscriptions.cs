using System.Collections.Concurrent;

namespace Tracker.Server.Hubs;

/// <summary>How many connections listen to each group, so the ingest path skips building messages nobody receives.
/// With replicas sharing a Redis backplane (<c>Tracker:Redis</c>) a listener may be on another replica, which this one
/// cannot count: then every group counts as listened to and each batch is published (see docs/scaling.md).</summary>
internal sealed class LiveSubscriptions(Microsoft.Extensions.Options.IOptions<Hosting.TrackerOptions> options)
{
    private readonly bool _replicated = !string.IsNullOrWhiteSpace(options.Value.Redis);

    private readonly ConcurrentDictionary<string, int> _listeners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashSet<string>> _byConnection = new(StringComparer.Ordinal);

    public bool HasListeners(string group) => _replicated || (_listeners.TryGetValue(group, out var n) && n > 0);

    public void Add(string connectionId, string group)
    {
        var groups = _byConnection.GetOrAdd(connectionId, _ => new HashSet<string>(StringComparer.Ordinal));
        lock (groups)
        {
            if (!groups.Add(group))
                return;
        }
        _listeners.AddOrUpdate(group, 1, (_, n) => n + 1);
    }

    public void Remove(string connectionId, string group)
    {
        if (!_byConnection.TryGetValue(connectionId, out var groups))
            return;
        lock (groups)
        {
            if (!groups.Remove(group))
                return;
        }
        Decrement(group);
    }

    public void RemoveConnection(string connectionId)
    {
        if (!_byConnection.TryRemove(connectionId, out var groups))
            return;
        string[] left;
        lock (groups)
        {
            left = [.. groups];
        }
        foreach (var group in left)
            Decrement(group);
    }

    private void Decrement(string group)
    {
        var n = _listeners.AddOrUpdate(group, 0, (_, n) => Math.Max(0, n - 1));
        if (n == 0)
            _listeners.TryRemove(new KeyValuePair<string, int>(group, 0));
    }
}
