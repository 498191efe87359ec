using System.Text.Json;
using Tracker.Sdk.Internal;

namespace Tracker.Sdk;

/// <summary>The file <c>~/.tracker/config</c> that <c>tracker login</c> writes: server URL, API key, default project.</summary>
/// <param name="Url">Server URL.</param>
/// <param name="ApiKey">API key.</param>
/// <param name="Project">Default project.</param>
public sealed record TrackerConfig(string? Url = null, string? ApiKey = null, string? Project = null)
{
    /// <summary>The Tracker home folder: <paramref name="home"/>, else <c>TRACKER_HOME</c>, else <c>~/.tracker</c>.</summary>
    public static string ResolveHome(string? home = null)
    {
        if (!string.IsNullOrEmpty(home))
            return home;
        var env = Environment.GetEnvironmentVariable("TRACKER_HOME");
        return !string.IsNullOrEmpty(env) ? env : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".tracker");
    }

    /// <summary>Reads <c>config</c> in <paramref name="home"/>; an empty config when the file is absent or unreadable.</summary>
    public static TrackerConfig Load(string? home = null)
    {
        var path = Path.Combine(ResolveHome(home), "config");
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), SdkJsonContext.Default.TrackerConfig) ?? new() : new();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return new();
        }
    }

    /// <summary>Writes this config to <c>config</c> in <paramref name="home"/>, readable by the owner only; returns the path.</summary>
    public string Save(string? home = null)
    {
        var dir = ResolveHome(home);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "config");
        File.WriteAllText(path, JsonSerializer.Serialize(this, SdkJsonContext.Default.TrackerConfig));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
