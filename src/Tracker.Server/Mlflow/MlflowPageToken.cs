using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Tracker.Server.Mlflow;

/// <summary>Opaque page tokens of the search endpoints: the offset of the next page.</summary>
internal static class MlflowPageToken
{
    public static string Encode(int offset) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes("offset:" + offset.ToString(CultureInfo.InvariantCulture)));

    public static int Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return 0;
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            if (
                text.StartsWith("offset:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            )
            {
                return offset;
            }
        }
        catch (FormatException) { }
        throw MlflowException.Invalid($"Invalid page token '{token}'.");
    }
}
