using System.Security.Claims;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Auth;

/// <summary>Claim types and policy names of API-key authentication.</summary>
internal static class TrackerClaims
{
    public const string Scheme = "ApiKey";
    public const string Scope = "tracker:scope";
    public const string Project = "tracker:project";
    public const string ProjectId = "tracker:project_id";
    public const string KeyId = "tracker:key_id";

    public const string ReadPolicy = "tracker:read";
    public const string WritePolicy = "tracker:write";
    public const string AdminPolicy = "tracker:admin";

    /// <summary>The project a key is bound to, or null for a key that sees every project.</summary>
    public static string? BoundProject(this ClaimsPrincipal user) => user.FindFirstValue(Project);

    /// <summary>Whether the key may touch <paramref name="project"/>.</summary>
    public static bool CanAccessProject(this ClaimsPrincipal user, string project) =>
        user.BoundProject() is not { } bound || string.Equals(bound, project, StringComparison.Ordinal);

    public static ApiKeyScope KeyScope(this ClaimsPrincipal user) => Enum.TryParse<ApiKeyScope>(user.FindFirstValue(Scope), out var s) ? s : ApiKeyScope.Read;
}
