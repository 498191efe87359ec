using System.Globalization;
using System.Text.RegularExpressions;

namespace Tracker.Server.Tests.Telemetry;

/// <summary>Reads one sample out of a Prometheus text exposition.</summary>
internal static partial class PrometheusScrape
{
    /// <summary>The value of the first sample of <paramref name="metric"/> (any labels), or null when absent.</summary>
    public static double? Value(string exposition, string metric)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#'))
                continue;
            var match = Sample().Match(line);
            if (match.Success && match.Groups["name"].Value == metric)
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(?<value>\S+)")]
    private static partial Regex Sample();
}
