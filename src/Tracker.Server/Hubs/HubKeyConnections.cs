using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Tracker.Server.Hubs;

/// <summary>The live hub's open connections by API key id, so that a revoked or expired key's connections can be
/// closed: at once on a revoke through this server (<see cref="Close"/>), and by <see cref="HubKeySweeper"/> for keys
/// that expired, or were deleted elsewhere, while cached authentication still took them.</summary>
internal sealed class HubKeyConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _byKey = new(StringComparer.Ordinal);

    /// <summary>Remembers <paramref name="context"/> as a connection of <paramref name="keyId"/>.</summary>
    public void Add(string keyId, HubCallerContext context) =>
        _byKey.GetOrAdd(keyId, _ => new ConcurrentDictionary<string, HubCallerContext>(StringComparer.Ordinal))[context.ConnectionId] = context;

    /// <summary>Forgets a closed connection.</summary>
    public void Remove(string keyId, string connectionId)
    {
        if (!_byKey.TryGetValue(keyId, out var connections))
            return;
        connections.TryRemove(connectionId, out _);
        if (connections.IsEmpty)
            _byKey.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, HubCallerContext>>(keyId, connections));
    }

    /// <summary>Keys that have at least one open connection.</summary>
    public IReadOnlyList<string> KeyIds => [.. _byKey.Keys];

    /// <summary>Open connections of <paramref name="keyId"/>.</summary>
    public int CountOf(string keyId) => _byKey.TryGetValue(keyId, out var c) ? c.Count : 0;

    /// <summary>Aborts every connection of <paramref name="keyId"/>; returns how many.</summary>
    public int Close(string keyId)
    {
        if (!_byKey.TryRemove(keyId, out var connections))
            return 0;
        var closed = 0;
        foreach (var context in connections.Values)
        {
            context.Abort();
            closed++;
        }
        return closed;
    }
}
