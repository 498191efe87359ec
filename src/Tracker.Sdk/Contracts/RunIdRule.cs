using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Tracker.Sdk.Contracts;

/// <summary>The run-id rule of SDK, server and dashboard: 1–64 characters of <c>[A-Za-z0-9_-]</c>.</summary>
public static partial class RunIdRule
{
    /// <summary>The longest id, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>The rule in words, as a 400 answer names it.</summary>
    public const string Description = "must be 1–64 characters of [A-Za-z0-9_-]";

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>True when <paramref name="id"/> follows the rule.</summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>A new random id of <paramref name="length"/> characters of <c>[a-z0-9]</c> (the SDK makes 12, the server 8).</summary>
    public static string New(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
