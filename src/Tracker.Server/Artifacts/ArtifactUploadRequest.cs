using System.Globalization;
using System.Text.RegularExpressions;

namespace Tracker.Server.Artifacts;

/// <summary>The query and headers of an upload, checked: <c>step</c>, <c>kind</c>, the expected SHA-256 and the content type.</summary>
internal sealed partial record ArtifactUploadRequest(string Path, long? Step, string? Kind, byte[]? ExpectedSha256, string ContentType)
{
    /// <summary>Headers that carry the expected SHA-256 of the body (hex or base64).</summary>
    public static readonly string[] ChecksumHeaders = ["X-Checksum-Sha256", "Content-SHA256", "x-amz-checksum-sha256"];

    /// <summary>The request, or the field at fault and why.</summary>
    public static (ArtifactUploadRequest? Request, string? Field, string? Problem) Parse(string rawPath, HttpRequest request)
    {
        var path = Normalize(rawPath);
        if (!ArtifactPath.IsValid(path))
            return (null, "path", ArtifactPath.Description);
        long? step = null;
        if (request.Query.TryGetValue("step", out var stepText))
        {
            if (!long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
                return (null, "step", "a non-negative integer");
            step = s;
        }
        var kind = request.Query.TryGetValue("kind", out var kindText) ? kindText.ToString() : null;
        if (kind is not null && !KindPattern().IsMatch(kind))
            return (null, "kind", "1-32 characters of [a-z0-9_-], e.g. checkpoint");
        if (kind == CheckpointRetention.Kind && step is null)
            return (null, "step", "a checkpoint needs the step it was saved at");
        byte[]? expected = null;
        foreach (var header in ChecksumHeaders)
        {
            if (!request.Headers.TryGetValue(header, out var value))
                continue;
            expected = DecodeSha256(value.ToString());
            if (expected is null)
                return (null, header, "a SHA-256 as 64 hex digits or 44 base64 characters");
            break;
        }
        var contentType =
            request.ContentType is { Length: > 0 and <= 200 } ct && !ct.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase)
                ? ct
                : GuessContentType(path);
        return (new ArtifactUploadRequest(path, step, kind, expected, contentType), null, null);
    }

    /// <summary>The route value with encoded slashes turned into separators (so <c>..%2F</c> cannot slip past the rule).</summary>
    public static string Normalize(string rawPath) =>
        rawPath.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase).Replace("%5C", "\\", StringComparison.OrdinalIgnoreCase);

    private static byte[]? DecodeSha256(string text)
    {
        text = text.Trim();
        try
        {
            var bytes = text.Length == 64 ? Convert.FromHexString(text) : Convert.FromBase64String(text);
            return bytes.Length == 32 ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static readonly Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider ContentTypes = new();

    private static string GuessContentType(string path) => ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream";

    [GeneratedRegex("^[a-z0-9_-]{1,32}$")]
    private static partial Regex KindPattern();
}
