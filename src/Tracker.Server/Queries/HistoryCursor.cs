using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Tracker.Server.Queries;

/// <summary>Opaque paging cursor of a full history: the last step returned and how many points at that step were.</summary>
internal readonly record struct HistoryCursor(long Step, long SkipAtStep)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{Step}:{SkipAtStep}"));

    public static bool TryDecode(string? text, out HistoryCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text))
            return false;
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split(':');
            if (
                parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var step)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var skip)
            )
            {
                cursor = new HistoryCursor(step, skip);
                return true;
            }
        }
        catch (FormatException) { }
        return false;
    }
}
