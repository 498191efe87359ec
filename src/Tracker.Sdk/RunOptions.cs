using Microsoft.Extensions.Logging;

namespace Tracker.Sdk;

/// <summary>How to start a run; unset connection settings come from the environment and <c>~/.tracker/config</c>.</summary>
public sealed class RunOptions
{
    /// <summary>Project slug; <c>TRACKER_PROJECT</c> when unset, else <c>default</c>.</summary>
    public string? Project { get; init; }

    /// <summary>Display name; the server generates one when unset.</summary>
    public string? Name { get; init; }

    /// <summary>Group shared by related runs (a sweep, a k-fold).</summary>
    public string? Group { get; init; }

    /// <summary>Labels.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Hyper-parameters: any object serialized to a JSON object (an anonymous type, a dictionary, a <see cref="System.Text.Json.JsonElement"/>).</summary>
    public object? Config { get; init; }

    /// <summary>Free text.</summary>
    public string? Notes { get; init; }

    /// <summary>Run id (1–64 of <c>[A-Za-z0-9_-]</c>); generated when unset. Needed to resume.</summary>
    public string? Id { get; init; }

    /// <summary>What to do when <see cref="Id"/> names an existing run.</summary>
    public ResumeMode Resume { get; init; } = ResumeMode.Never;

    /// <summary>Server URL; <c>TRACKER_URL</c>, then <c>~/.tracker/config</c>, when unset.</summary>
    public Uri? Url { get; init; }

    /// <summary>API key; <c>TRACKER_API_KEY</c>, then <c>~/.tracker/config</c>, when unset.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Online, offline or disabled; <c>TRACKER_MODE</c> when unset, else online.</summary>
    public TrackerMode? Mode { get; init; }

    /// <summary>Folder of spool files; <c>~/.tracker/spool</c> when unset.</summary>
    public string? SpoolDir { get; init; }

    /// <summary>Points the in-memory buffer holds (a ring of 40-byte slots allocated once: 100,000 points = 4,000,000 bytes; at least 256).</summary>
    public int ChannelCapacity { get; init; } = 100_000;

    /// <summary>Most points in one ingest request (the server accepts up to 10,000).</summary>
    public int MaxBatchPoints { get; init; } = 10_000;

    /// <summary>Ingest requests one run may have in flight (1–4): while one is being stored the next is already on its way.</summary>
    public int MaxRequestsInFlight { get; init; } = 2;

    /// <summary>After this long without any request to the server, an empty <c>PATCH</c> keeps a quiet run from being marked crashed; zero or less turns it off.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long <see cref="TrackerRun.Log(long, ValueTuple{string, double})"/> waits on a full buffer before it spills the points of the call to the spool.</summary>
    public TimeSpan BackpressureTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long <see cref="TrackerRun.FinishAsync"/> may take to flush before leaving the rest in the spool.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of one request after the first attempt (exponential backoff with jitter) before it is spooled.</summary>
    public int MaxRetryAttempts { get; init; } = 5;

    /// <summary>Base delay of the exponential backoff.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Time limit of one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Receives warnings (rejected batches, outages, leftovers); standard error when neither this nor <see cref="OnWarning"/> is set.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Called with each warning, in addition to <see cref="Logger"/>.</summary>
    public Action<string>? OnWarning { get; init; }

    /// <summary>Home of <c>config</c> and <c>spool/</c>; <c>TRACKER_HOME</c>, else <c>~/.tracker</c>.</summary>
    public string? TrackerHome { get; init; }

    /// <summary>Handler under the resilience layer (tests, proxies); a pooled <see cref="SocketsHttpHandler"/> when unset.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }
}
