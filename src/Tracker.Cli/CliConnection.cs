using Tracker.Sdk;
using Tracker.Sdk.Client;

namespace Tracker.Cli;

/// <summary>The server the CLI talks to: <c>--url</c>/<c>--api-key</c>, else <c>TRACKER_URL</c>/<c>TRACKER_API_KEY</c>, else <c>~/.tracker/config</c>.</summary>
internal static class CliConnection
{
    public static TrackerClient CreateClient(string? url, string? apiKey, string? home, bool retrying = true)
    {
        var config = TrackerConfig.Load(home);
        var resolvedUrl = url
            ?? NonEmpty(Environment.GetEnvironmentVariable("TRACKER_URL"))
            ?? config.Url
            ?? throw new InvalidOperationException("No server URL: pass --url, set TRACKER_URL, or run `tracker login`.");
        var key = apiKey ?? NonEmpty(Environment.GetEnvironmentVariable("TRACKER_API_KEY")) ?? config.ApiKey;
        var http = TrackerRetry.CreateHttpClient(
            new Uri(resolvedUrl, UriKind.Absolute),
            key,
            TrackerRetry.CreateSocketsHandler(),
            retrying ? TrackerRetry.Pipeline(TrackerRetry.DefaultMaxRetryAttempts, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60)) : null
        );
        return new TrackerClient(http);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
