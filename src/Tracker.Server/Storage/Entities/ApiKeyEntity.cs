using Tracker.Sdk.Contracts;

namespace Tracker.Server.Storage.Entities;

/// <summary>An API key, stored as the SHA-256 of its secret.</summary>
internal sealed class ApiKeyEntity
{
    public required string Id { get; set; }
    public required string Hash { get; set; }
    public string? Name { get; set; }
    public ApiKeyScope Scope { get; set; }
    public long? ProjectId { get; set; }
    public ProjectEntity? Project { get; set; }
    public long CreatedMs { get; set; }
    public long? LastUsedMs { get; set; }

    /// <summary>Unix ms from which the key is refused; null when it does not expire.</summary>
    public long? ExpiresMs { get; set; }
}
