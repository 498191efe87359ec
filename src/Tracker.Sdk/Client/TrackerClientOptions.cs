namespace Tracker.Sdk.Client;

/// <summary>Connection settings of a <see cref="TrackerClient"/> registered with <see cref="TrackerClientServiceCollectionExtensions.AddTrackerClient"/>.</summary>
public sealed class TrackerClientOptions
{
    /// <summary>Server URL; <c>TRACKER_URL</c> or <c>~/.tracker/config</c> when unset.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>API key; <c>TRACKER_API_KEY</c> or <c>~/.tracker/config</c> when unset.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetryAttempts { get; set; } = TrackerRetry.DefaultMaxRetryAttempts;

    /// <summary>Time limit of one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
