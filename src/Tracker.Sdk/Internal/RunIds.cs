using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Tracker.Sdk.Internal;

/// <summary>Run ids made by the SDK (so that a run started offline has its id before the server sees it).</summary>
internal static partial class RunIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new random id of 12 characters of <c>[a-z0-9]</c>.</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, 12);

    /// <summary>The server's rule: 1–64 characters of <c>[A-Za-z0-9_-]</c>.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    public static partial Regex Valid();
}
