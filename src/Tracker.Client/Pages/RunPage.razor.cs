using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Tracker.Client.Charts;
using Tracker.Client.Components;
using Tracker.Client.Services;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Pages;

/// <summary><c>/runs/{id}</c>: header, a chart per quantity (train and validation overlaid), gradient norms, analysis,
/// events. Live points go straight into the charts; the page itself re-renders only when a new series or state appears.
/// Prerendered: the server renders it from a <see cref="RunPageSnapshot"/> (header, config, verdict, a sketch of each
/// chart), which the interactive page takes over from the persisted component state instead of reading it again.</summary>
public sealed partial class RunPage : ComponentBase, IAsyncDisposable
{
    private readonly Dictionary<string, MetricChart> _charts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _cts = new();
    private readonly FirstDrawings _drawings = new();
    private IReadOnlyList<(string Quantity, IReadOnlyList<string> Keys)> _groups = [];
    private List<string> _gradKeys = [];
    private GradientSection? _gradients;
    private IAsyncDisposable? _subscription;
    private RunDto? _run;
    private RunAnalysis? _analysis;
    private IReadOnlyList<RunEventDto> _events = [];
    private IReadOnlyList<ArtifactDto> _artifacts = [];
    private ArtifactDto? _bestCheckpoint;
    private ChartView _view = new();
    private bool _signedOut;
    private bool _canWrite;
    private bool _disposed;
    private string? _error;
    private string? _liveError;
    private bool _sideLoaded;
    private IReadOnlyDictionary<string, SeriesSketch>? _sketches;
    private PersistingComponentStateSubscription? _persisting;

    /// <summary>Longest wait for the charts in view to draw before the page subscribes to live updates anyway.</summary>
    private static readonly TimeSpan FirstDrawingsTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The run id.</summary>
    [Parameter]
    public string Id { get; set; } = "";

    [Inject]
    public required TrackerApi Api { get; init; }

    [Inject]
    public required LiveConnection Live { get; init; }

    [Inject]
    public required NavigationManager Nav { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required IRunPageSnapshots Snapshots { get; init; }

    [Inject]
    public required PersistentComponentState PageState { get; init; }

    private string SnapshotKey => "run-page:" + Id;

    /// <summary>True while the server prerenders the page: its buttons are shown disabled until the page is interactive.</summary>
    private bool Prerendering => !RendererInfo.IsInteractive;

    protected override async Task OnInitializedAsync()
    {
        var snapshot = TakeSnapshot();
        if (snapshot is null && !RendererInfo.IsInteractive)
        {
            snapshot = await Snapshots.LoadAsync(Id, _cts.Token);
            if (snapshot is not null)
                Persist(snapshot);
        }
        if (snapshot is not null)
        {
            Apply(snapshot);
            if (RendererInfo.IsInteractive && _run is not null)
            {
                _ = PreloadChartsAsync();
                _ = GoLiveAsync();
            }
            return;
        }
        await LoadAsync();
    }

    /// <summary>The snapshot the prerendering server left in the page, taken once (a later render reads the API).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The persisted value is a string; the snapshot's JSON is source-generated.")]
    private RunPageSnapshot? TakeSnapshot() =>
        PageState.TryTakeFromJson<string>(SnapshotKey, out var json) && json is not null ? RunPageSnapshot.FromJson(json) : null;

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The persisted value is a string; the snapshot's JSON is source-generated.")]
    private void Persist(RunPageSnapshot snapshot)
    {
        var json = snapshot.ToJson();
        _persisting = PageState.RegisterOnPersisting(
            () =>
            {
                PageState.PersistAsJson(SnapshotKey, json);
                return Task.CompletedTask;
            },
            AssignedRenderMode
        );
    }

    private void Apply(RunPageSnapshot snapshot)
    {
        _signedOut = snapshot.SignedOut;
        _error = snapshot.Error;
        _run = snapshot.Run;
        _canWrite = snapshot.CanWrite;
        SetKeys(snapshot.Keys);
        _analysis = snapshot.Analysis is { } analysis ? RunAnalysis.From(analysis) : null;
        _sketches = snapshot.SketchesByKey();
    }

    private async Task LoadAsync()
    {
        // plotly.js downloads while the run and its series are fetched (it is evaluated once the charts ask for data).
        _ = PreloadChartsAsync();
        var client = await Api.ClientAsync();
        // The session is checked alongside the page's first reads, not before them (one round trip less).
        var run = client.GetRunAsync(Id, _cts.Token);
        var series = client.ListSeriesAsync(Id, _cts.Token);
        var canWrite = Api.CanWriteAsync();
        try
        {
            if (!await Api.IsSignedInAsync())
            {
                _signedOut = true;
                await _cts.CancelAsync();
                return;
            }
            _run = await run;
            SetKeys((await series).Series.Select(s => s.Key));
            _canWrite = await canWrite;
            _ = GoLiveAsync(); // the charts (rendered after this) load their histories first
        }
        catch (TrackerApiException e)
        {
            _error = e.StatusCode == System.Net.HttpStatusCode.NotFound ? $"Run '{Id}' does not exist." : e.Message;
        }
    }

    private async Task PreloadChartsAsync()
    {
        try
        {
            await using var module = await JS.InvokeAsync<IJSObjectReference>("import", _cts.Token, "./charts.js");
            await module.InvokeVoidAsync("preload", _cts.Token);
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or OperationCanceledException) { }
    }

    /// <summary>Subscribes to the run's live updates once the charts in view have drawn (the hub's start-up, the analysis
    /// and the events then do not compete with the first drawings), then reads what was logged before the subscription:
    /// the run's state, new series, and each loaded chart's points after its history (merged by step with the live
    /// points received since, so none is lost).</summary>
    private async Task GoLiveAsync()
    {
        try
        {
            if (_groups.Count > 0 || _gradKeys.Count > 0)
                await _drawings.WhenDrawnAsync(FirstDrawingsTimeout, _cts.Token);
            // The hub's callbacks come on its own thread when the page runs on a server circuit: into the renderer's.
            var subscription = await Live.SubscribeRunAsync(
                Id,
                p => _ = InvokeAsync(() => OnPoints(p)),
                s => _ = InvokeAsync(() => OnState(s)),
                e => _ = InvokeAsync(() => OnEvent(e))
            );
            if (_disposed)
            {
                await subscription.DisposeAsync();
                return;
            }
            _subscription = subscription;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e)
        {
            if (_disposed)
                return;
            _liveError = "Live updates unavailable: " + e.Message;
            StateHasChanged();
        }
        _ = LoadSideAsync();
        await CatchUpAsync();
    }

    private async Task CatchUpAsync()
    {
        try
        {
            var client = await Api.ClientAsync();
            var run = client.GetRunAsync(Id, _cts.Token);
            var series = await client.ListSeriesAsync(Id, _cts.Token);
            _run = await run;
            SetKeys(series.Series.Select(s => s.Key)); // series first logged before the subscription: new charts
            StateHasChanged();
            var charts = _charts.Values.Select(c => c.CatchUpAsync()).ToList();
            if (_gradients is not null)
                charts.Add(_gradients.CatchUpAsync());
            await Task.WhenAll(charts);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or TrackerApiException or HttpRequestException) { }
    }

    /// <summary>The artifact kind of a checkpoint (what the SDK's <c>SaveCheckpointAsync</c> stores).</summary>
    private const string CheckpointKind = "checkpoint";

    private async Task LoadSideAsync()
    {
        try
        {
            var client = await Api.ClientAsync();
            var events = client.ListEventsAsync(Id, _cts.Token);
            var artifacts = client.ListArtifactsAsync(Id, _cts.Token);
            _analysis = await Api.AnalysisAsync(Id, _cts.Token);
            _events = (await events).Events;
            _artifacts = (await artifacts).Artifacts;
            // Only a run with checkpoints can have a best one: asked otherwise, the API's 404 is an error in the browser's console.
            _bestCheckpoint = _artifacts.Any(a => a.Kind == CheckpointKind) ? await client.GetBestCheckpointAsync(Id, _cts.Token) : null;
            _sideLoaded = true;
            await InvokeAsync(StateHasChanged);
        }
        catch (Exception e) when (e is TrackerApiException or HttpRequestException or System.Text.Json.JsonException)
        {
            _analysis = null;
            _sideLoaded = true;
        }
    }

    private void SetKeys(IEnumerable<string> keys)
    {
        foreach (var k in keys)
            _keys.Add(k);
        _groups = MetricGroups.Group(_keys);
        _gradKeys = [.. _keys.Where(MetricGroups.IsGradNorm).Order(StringComparer.Ordinal)];
    }

    private IReadOnlyList<TraceSource> TracesOf(IReadOnlyList<string> keys) =>
        [.. keys.Select((k, i) => new TraceSource(Id, k, k, Palette.Colors[i % Palette.Colors.Length], Dashed: MetricGroups.Quantity(k) != k && i > 0))];

    private long? MarkerFor(IReadOnlyList<string> keys) =>
        _analysis?.Advice is { BestStep: { } step, Monitor: { } monitor } && keys.Contains(monitor) ? step : null;

    /// <summary>Where the advisor said stop, on the chart of the metric it watches.</summary>
    private long? StopFor(IReadOnlyList<string> keys) =>
        _analysis?.Advice is { ShouldStop: true, StopStep: { } step, Monitor: { } monitor } && keys.Contains(monitor) ? step : null;

    /// <summary>The kept checkpoints' steps, on the chart of the metric they were judged by.</summary>
    private long[]? CheckpointsFor(IReadOnlyList<string> keys)
    {
        var steps = _artifacts
            .Where(a => a is { Kind: "checkpoint", Step: not null } && keys.Contains(a.Monitor ?? _analysis?.Advice?.Monitor ?? ""))
            .Select(a => a.Step!.Value);
        return steps.Any() ? [.. steps] : null;
    }

    private void OnPoints(LivePoints points)
    {
        var newKeys = points.Series.Select(s => s.Key).Where(k => !_keys.Contains(k)).ToList();
        foreach (var chart in _charts.Values)
            chart.Append(points);
        _gradients?.Append(points);
        if (newKeys.Count > 0 && _run is not null)
        {
            SetKeys(newKeys);
            _ = InvokeAsync(StateHasChanged); // a new chart: it loads its own history
        }
    }

    private void OnState(LiveRunState change)
    {
        if (_run is null)
            return;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(change.Time);
        _run = _run with { State = change.To, EndedAt = change.To == RunState.Running ? null : at };
        _ = LoadSideAsync();
        _ = InvokeAsync(StateHasChanged);
    }

    private void OnEvent(LiveRunEvent e) => _ = LoadSideAsync();

    private async Task SaveAsync(UpdateRunRequest edits)
    {
        var client = await Api.ClientAsync();
        _run = await client.UpdateRunAsync(Id, edits, _cts.Token);
    }

    private async Task StopAsync()
    {
        var client = await Api.ClientAsync();
        _run = await client.UpdateRunAsync(Id, new UpdateRunRequest(State: RunState.Killed), _cts.Token);
    }

    private async Task DeleteAsync()
    {
        if (_run is null || !await JS.InvokeAsync<bool>("confirm", $"Delete run '{_run.Name}' and all its points?"))
            return;
        var client = await Api.ClientAsync();
        await client.DeleteRunAsync(Id, _cts.Token);
        Nav.NavigateTo($"projects/{Uri.EscapeDataString(_run.Project)}");
    }

    private async Task ExportAsync()
    {
        var client = await Api.ClientAsync();
        await using var stream = await client.ExportCsvAsync(Id, _cts.Token);
        using var reference = new DotNetStreamReference(stream);
        await using var module = await JS.InvokeAsync<IJSObjectReference>("import", "./tracker.js");
        await module.InvokeVoidAsync("download", $"{Id}.csv", reference);
    }

    public async ValueTask DisposeAsync()
    {
        _persisting?.Dispose();
        _disposed = true;
        await _cts.CancelAsync();
        if (_subscription is not null)
            await _subscription.DisposeAsync();
        _cts.Dispose();
    }
}
