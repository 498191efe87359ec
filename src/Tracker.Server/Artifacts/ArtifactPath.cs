namespace Tracker.Server.Artifacts;

/// <summary>The rule for an artifact's path: relative, <c>/</c>-separated, no <c>..</c> or <c>.</c> segment, no empty
/// segment, no backslash, no control character, at most 1024 characters.</summary>
internal static class ArtifactPath
{
    public const int MaxLength = 1024;

    public const string Description =
        "a relative path of at most 1024 characters, '/'-separated, without '..' or '.' segments, empty segments, backslashes or control characters";

    /// <summary>True when <paramref name="path"/> follows the rule.</summary>
    public static bool IsValid(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > MaxLength || path[0] == '/' || path[^1] == '/')
            return false;
        foreach (var c in path)
        {
            if (c == '\\' || char.IsControl(c))
                return false;
        }
        if (path.Length >= 2 && path[1] == ':')
            return false; // C:...
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
                return false;
        }
        return true;
    }
}
