using Tracker.Sdk.Contracts;

namespace Tracker.Server.Auth;

/// <summary>An authenticated key as the request pipeline sees it.</summary>
internal sealed record ApiKeyInfo(string Id, ApiKeyScope Scope, long? ProjectId, string? ProjectName, long? LastUsedMs);
