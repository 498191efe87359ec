using System.Buffers;

namespace Tracker.Sdk.Internal;

/// <summary>The server's rule for metric keys (≤ 250 characters of <c>[A-Za-z0-9_\-./ ]</c>), checked before a point is queued.</summary>
internal static class MetricKeys
{
    public const int MaxLength = 250;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./ ");

    /// <summary>True when the server accepts <paramref name="key"/>.</summary>
    public static bool IsValid(string? key) =>
        key is { Length: > 0 and <= MaxLength } && !key.AsSpan().ContainsAnyExcept(Allowed);
}
