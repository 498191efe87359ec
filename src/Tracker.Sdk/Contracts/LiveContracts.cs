using System.Text.Json.Serialization;

namespace Tracker.Sdk.Contracts;

/// <summary>Names of the live hub (<c>/hubs/runs</c>): what clients call and what the server pushes.</summary>
public static class LiveHub
{
    /// <summary>The hub's path.</summary>
    public const string Path = "/hubs/runs";

    /// <summary>Client → server: receive <see cref="LivePoints"/> and state changes of one run.</summary>
    public const string SubscribeRun = nameof(SubscribeRun);

    /// <summary>Client → server: stop receiving a run.</summary>
    public const string UnsubscribeRun = nameof(UnsubscribeRun);

    /// <summary>Client → server: receive <see cref="LiveRunSummary"/> deltas and state changes of every run of a project.</summary>
    public const string SubscribeProject = nameof(SubscribeProject);

    /// <summary>Client → server: stop receiving a project.</summary>
    public const string UnsubscribeProject = nameof(UnsubscribeProject);

    /// <summary>Server → client: new points of a run (<see cref="LivePoints"/>).</summary>
    public const string Points = "points";

    /// <summary>Server → client: a run's summary changed (<see cref="LiveRunSummary"/>).</summary>
    public const string Summary = "summary";

    /// <summary>Server → client: a run changed state (<see cref="LiveRunState"/>).</summary>
    public const string State = "state";

    /// <summary>Server → client: a run event other than a state change, e.g. an analysis verdict (<see cref="LiveRunEvent"/>).</summary>
    public const string Event = "event";
}

/// <summary>New points of one series; a large burst arrives downsampled (min and max of each bucket, in step order).</summary>
/// <param name="Key">Metric name.</param>
/// <param name="Steps">Steps.</param>
/// <param name="Values">Values (NaN and infinities included).</param>
/// <param name="Times">Wall times, epoch milliseconds.</param>
/// <param name="Sampled">True when the burst was downsampled.</param>
/// <remarks>On the wire each column is one base64 string of little-endian 8-byte values, not a JSON number per point:
/// a WebAssembly client decodes a 1,000-point message in about half the time (measured 22 → 10 ms, interpreted).</remarks>
public sealed record LiveSeries(
    string Key,
    [property: JsonConverter(typeof(PackedInt64ArrayConverter))] long[] Steps,
    [property: JsonConverter(typeof(PackedDoubleArrayConverter))] double[] Values,
    [property: JsonConverter(typeof(PackedInt64ArrayConverter))] long[] Times,
    bool Sampled
);

/// <summary>Pushed to the run's subscribers after each stored batch.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Series">One entry per series of the batch.</param>
public sealed record LivePoints(string RunId, IReadOnlyList<LiveSeries> Series);

/// <summary>What one batch changed in a series' summary.</summary>
/// <param name="Last">Value at the batch's largest step.</param>
/// <param name="LastStep">The batch's largest step.</param>
/// <param name="Min">Smallest non-NaN value of the batch.</param>
/// <param name="Max">Largest non-NaN value of the batch.</param>
/// <param name="Count">Points in the batch.</param>
/// <param name="LastTime">Wall time of the last value.</param>
public sealed record LiveSeriesDelta(double Last, long LastStep, double? Min, double? Max, long Count, long LastTime);

/// <summary>Pushed to the project's subscribers after each stored batch of one of its runs.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Project">Its project.</param>
/// <param name="Series">Per key, what the batch changed.</param>
public sealed record LiveRunSummary(string RunId, string Project, IReadOnlyDictionary<string, LiveSeriesDelta> Series);

/// <summary>A run changed state (created, finished, crashed, resumed...).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Project">Its project.</param>
/// <param name="From">Previous state; null when the run was just created.</param>
/// <param name="To">New state.</param>
/// <param name="Time">When, epoch milliseconds.</param>
public sealed record LiveRunState(string RunId, string Project, RunState? From, RunState To, long Time);

/// <summary>A run event that is not a state change (an analysis verdict, an experiment note).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Project">Its project.</param>
/// <param name="Kind">Kind, e.g. <c>verdict</c>.</param>
/// <param name="Message">Plain words.</param>
/// <param name="Time">When, epoch milliseconds.</param>
public sealed record LiveRunEvent(string RunId, string Project, string Kind, string? Message, long Time);
