namespace Tracker.Sdk.Contracts;

/// <summary>Body of <c>POST /api/v1/keys</c>.</summary>
/// <param name="Scope">What the key may do.</param>
/// <param name="Project">Binds the key to one project when set.</param>
/// <param name="Name">A label to recognise the key by.</param>
/// <param name="ExpiresAt">When set, the key is refused from this time on (it must lie in the future).</param>
public sealed record CreateApiKeyRequest(ApiKeyScope Scope, string? Project = null, string? Name = null, DateTimeOffset? ExpiresAt = null);

/// <summary>A key as listed: never the secret itself.</summary>
/// <param name="Id">Key id (also the key's visible prefix).</param>
/// <param name="Name">Label.</param>
/// <param name="Scope">What the key may do.</param>
/// <param name="Project">Project the key is bound to, if any.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="LastUsedAt">Last successful authentication (to the minute).</param>
/// <param name="ExpiresAt">When the key stops being accepted; null when it does not expire.</param>
public sealed record ApiKeyDto(
    string Id,
    string? Name,
    ApiKeyScope Scope,
    string? Project,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? ExpiresAt = null
);

/// <summary>A newly created key: the only time the secret is shown.</summary>
/// <param name="Key">The secret to send as <c>Authorization: Bearer</c>.</param>
/// <param name="Info">The key's listing.</param>
public sealed record ApiKeyCreatedDto(string Key, ApiKeyDto Info);

/// <summary>Response of <c>GET /api/v1/keys</c>.</summary>
/// <param name="Keys">The keys, oldest first (one page: <c>limit</c>, default and at most <c>Tracker:Limits:MaxPageSize</c>).</param>
/// <param name="NextCursor">Opaque cursor of the next page (<c>?cursor=</c>); null on the last page.</param>
public sealed record ApiKeyList(IReadOnlyList<ApiKeyDto> Keys, string? NextCursor = null);

/// <summary>Response of <c>GET /api/v1/me</c>: what the calling key is and may do.</summary>
/// <param name="KeyId">The key's id.</param>
/// <param name="Scope">What the key may do.</param>
/// <param name="Project">The project the key is bound to, if any.</param>
public sealed record KeyIdentityDto(string KeyId, ApiKeyScope Scope, string? Project);
