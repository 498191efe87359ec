using System.Text.Json;
using System.Text.Json.Serialization;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Pages;

/// <summary>What the run page shows before the WebAssembly runtime has started: read by the server when it prerenders the
/// page, carried to the browser in the page's persisted component state, so the interactive page starts from it too.</summary>
/// <param name="Run">The run (header, config, summary); null when <paramref name="SignedOut"/> or <paramref name="Error"/>.</param>
/// <param name="Keys">The run's metric keys.</param>
/// <param name="CanWrite">True when the session's key may edit, stop and delete the run.</param>
/// <param name="Analysis">The analyzers' verdict, when the server had it at hand (it does not hold the page back to build it).</param>
/// <param name="Sketches">The first charts' series drawn by the server (a few hundred sampled points each), as SVG geometry.</param>
/// <param name="SignedOut">True when the request had no session.</param>
/// <param name="Error">Why the run cannot be shown (absent, another project's).</param>
public sealed record RunPageSnapshot(
    RunDto? Run,
    IReadOnlyList<string> Keys,
    bool CanWrite,
    RunAnalysisDto? Analysis,
    IReadOnlyList<SeriesSketch> Sketches,
    bool SignedOut = false,
    string? Error = null
)
{
    /// <summary>The snapshot of a request without a session.</summary>
    public static RunPageSnapshot NoSession { get; } = new(null, [], false, null, [], SignedOut: true);

    /// <summary>The snapshot of a run that cannot be shown.</summary>
    public static RunPageSnapshot Failed(string error) => new(null, [], false, null, [], Error: error);

    /// <summary>The snapshot as JSON (the persisted state's payload).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RunPageSnapshotJson.Default.RunPageSnapshot);

    /// <summary>Reads <see cref="ToJson"/>'s output.</summary>
    public static RunPageSnapshot? FromJson(string json) => JsonSerializer.Deserialize(json, RunPageSnapshotJson.Default.RunPageSnapshot);

    /// <summary>The sketches by series key.</summary>
    public IReadOnlyDictionary<string, SeriesSketch> SketchesByKey() => Sketches.ToDictionary(s => s.Key, StringComparer.Ordinal);
}

/// <summary>A series' first history as the server drew it for the page's first paint: lines in a square drawing space of
/// <see cref="Charts.SketchGeometry.Extent"/> units whose x spans <paramref name="XMin"/>–<paramref name="XMax"/> (steps)
/// and y <paramref name="YMin"/>–<paramref name="YMax"/>, shared by the series of one chart.</summary>
/// <param name="Key">The metric key.</param>
/// <param name="Lines">SVG <c>points</c>, one per stretch of finite values.</param>
/// <param name="XMin">The chart's first step.</param>
/// <param name="XMax">The chart's last step.</param>
/// <param name="YMin">The chart's lowest finite value.</param>
/// <param name="YMax">The chart's highest finite value.</param>
/// <param name="LogY">True when y is drawn on a log scale, as the chart will switch to by itself (<see cref="Charts.SketchGeometry.AutoLogY"/>).</param>
public sealed record SeriesSketch(string Key, IReadOnlyList<string> Lines, long XMin, long XMax, double YMin, double YMax, bool LogY = false);

/// <summary>Reads a run page's <see cref="RunPageSnapshot"/> where the page is prerendered.</summary>
public interface IRunPageSnapshots
{
    /// <summary>The page's data for <paramref name="runId"/>; null where pages are not prerendered (the browser).</summary>
    Task<RunPageSnapshot?> LoadAsync(string runId, CancellationToken cancellationToken);
}

/// <summary>The browser's <see cref="IRunPageSnapshots"/>: none (the page reads through the API).</summary>
public sealed class NoRunPageSnapshots : IRunPageSnapshots
{
    /// <inheritdoc />
    public Task<RunPageSnapshot?> LoadAsync(string runId, CancellationToken cancellationToken) => Task.FromResult<RunPageSnapshot?>(null);
}

/// <summary>Source-generated JSON metadata of <see cref="RunPageSnapshot"/> (trimming-safe in the browser).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(RunPageSnapshot))]
internal sealed partial class RunPageSnapshotJson : JsonSerializerContext;
