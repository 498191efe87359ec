using System.Text.RegularExpressions;

namespace Tracker.Server.Errors;

/// <summary>Reads which parameter a <see cref="BadHttpRequestException"/> of minimal-API binding is about.</summary>
internal static partial class BadParameter
{
    /// <summary>The parameter's name (<c>limit</c> from <c>Failed to bind parameter "int? limit" from "y".</c>), or null
    /// when the exception is not about one parameter (a body over Kestrel's size limit, a malformed request line).</summary>
    public static string? Name(BadHttpRequestException exception) =>
        ParameterPattern().Match(exception.Message) is { Success: true } m ? m.Groups["name"].Value : null;

    [GeneratedRegex(@"parameter ""(?:[^""]*\s)?(?<name>[^""\s]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterPattern();
}
