using System.Text.RegularExpressions;

namespace Tracker.Server.Apis;

/// <summary>Shapes of names in URLs: project slugs and run ids.</summary>
internal static partial class Slugs
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    public static partial Regex Project();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    public static partial Regex RunId();

    public const string ProjectRule = "must be a slug: a lowercase letter or digit, then up to 99 of [a-z0-9-_.]";
    public const string RunIdRule = "must be 1–64 characters of [A-Za-z0-9_-]";
}
