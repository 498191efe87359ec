using System.Buffers;

namespace Tracker.Sdk.Contracts;

/// <summary>The metric-key rule of SDK, server and dashboard: 1–250 characters of <c>[A-Za-z0-9_\-./ ]</c>.</summary>
public static class MetricKeyRule
{
    /// <summary>The longest key, in characters.</summary>
    public const int MaxLength = 250;

    private static readonly SearchValues<char> Allowed = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./ ");

    /// <summary>True when <paramref name="key"/> follows the rule.</summary>
    public static bool IsValid(string? key) => key is { Length: > 0 and <= MaxLength } && !key.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Null when <paramref name="key"/> follows the rule, else why not (the server's words in a 400 answer).</summary>
    public static string? Check(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty)
            return "must not be empty";
        if (key.Length > MaxLength)
            return $"is {key.Length} characters long; the limit is {MaxLength}";
        var bad = key.IndexOfAnyExcept(Allowed);
        return bad < 0 ? null : $"contains '{key[bad]}'; allowed are letters, digits, '_', '-', '.', '/' and space";
    }
}
