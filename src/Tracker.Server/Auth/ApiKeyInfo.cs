using Tracker.Sdk.Contracts;

namespace Tracker.Server.Auth;

/// <summary>An authenticated key as the request pipeline sees it.</summary>
internal sealed record ApiKeyInfo(string Id, ApiKeyScope Scope, long? ProjectId, string? ProjectName, long? LastUsedMs, long? ExpiresMs = null)
{
    /// <summary>Whether the key has expired at <paramref name="nowMs"/>.</summary>
    public bool ExpiredAt(long nowMs) => ExpiresMs is { } e && nowMs >= e;
}
