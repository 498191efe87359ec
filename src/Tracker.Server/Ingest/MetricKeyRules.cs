namespace Tracker.Server.Ingest;

/// <summary>What a metric key may look like: ≤ 250 characters of <c>[A-Za-z0-9_\-./ ]</c>.</summary>
internal static class MetricKeyRules
{
    public const int MaxLength = 250;

    /// <summary>Null when <paramref name="key"/> is valid, else why not.</summary>
    public static string? Check(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty)
        {
            return "must not be empty";
        }
        if (key.Length > MaxLength)
        {
            return $"is {key.Length} characters long; the limit is {MaxLength}";
        }
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ' '))
            {
                return $"contains '{c}'; allowed are letters, digits, '_', '-', '.', '/' and space";
            }
        }
        return null;
    }
}
