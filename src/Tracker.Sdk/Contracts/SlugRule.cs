using System.Text.RegularExpressions;

namespace Tracker.Sdk.Contracts;

/// <summary>The project-slug rule of SDK, server and dashboard: a lowercase letter or digit, then up to 99 of <c>[a-z0-9._-]</c>.</summary>
public static partial class SlugRule
{
    /// <summary>The rule in words, as a 400 answer names it.</summary>
    public const string Description = "must be a slug: a lowercase letter or digit, then up to 99 of [a-z0-9-_.]";

    /// <summary>True when <paramref name="slug"/> follows the rule.</summary>
    public static bool IsValid(string? slug) => slug is not null && Pattern().IsMatch(slug);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
