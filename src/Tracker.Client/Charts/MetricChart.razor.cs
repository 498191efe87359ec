using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Tracker.Client.Services;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Charts;

/// <summary>One Plotly chart of one or more series, drawn by our <c>charts.js</c> with packed float64 arrays (no
/// per-point objects through the interop). Loads nothing until it comes near the viewport; then loads its series'
/// sampled history as packed columns (<c>maxPoints</c> = 2 × its width in pixels, never the full history), appends live
/// points with <c>extendTraces</c> (coalesced, ≤ 5 updates per second, never before the first drawing), thins the held
/// points in place when live points make a trace hold more than 1.25 × its budget (then draws it anew), keeps only its
/// points while scrolled out of view (one full drawing when it comes back), and refetches the visible step range at full
/// resolution when zoomed.</summary>
public sealed partial class MetricChart : ComponentBase, IAsyncDisposable
{
    private const int DefaultWidth = 800;

    /// <summary>Charts start loading this many pixels before they scroll into view.</summary>
    private const int VisibleMargin = 300;

    private readonly ChartPointBuffer _buffer = new(TimeSpan.FromMilliseconds(200), TimeProvider.System);
    private readonly CancellationTokenSource _cts = new();
    private DotNetObjectReference<MetricChart>? _self;
    private IJSObjectReference? _module;
    private List<ChartSeries> _series = [];
    private string _tracesKey = "";
    private ChartView _view = new();
    private ChartMarks _marks = ChartMarks.None;
    private readonly ChartState _state = new();
    private int _maxPoints = PointsFor(DefaultWidth);
    private string? _error;
    private Task _firstLoad = Task.CompletedTask;
    private bool _sketchDone;

    /// <summary>DOM id of the chart's element (tests read its <c>data</c>).</summary>
    [Parameter, EditorRequired]
    public required string Id { get; set; }

    /// <summary>Heading.</summary>
    [Parameter]
    public string? Title { get; set; }

    /// <summary>The lines.</summary>
    [Parameter, EditorRequired]
    public required IReadOnlyList<TraceSource> Traces { get; set; }

    /// <summary>Smoothing, scale and x axis.</summary>
    [Parameter]
    public ChartView View { get; set; } = new();

    /// <summary>A step to mark with a vertical line (the advised best step).</summary>
    [Parameter]
    public long? MarkerStep { get; set; }

    /// <summary>The marker's label.</summary>
    [Parameter]
    public string MarkerLabel { get; set; } = "best step";

    /// <summary>A step to mark with a line of its own, labelled "stop advised" (where the advisor said stop).</summary>
    [Parameter]
    public long? StopStep { get; set; }

    /// <summary>Steps of the run's kept checkpoints, marked with short ticks at the foot of the plot.</summary>
    [Parameter]
    public IReadOnlyList<long>? CheckpointSteps { get; set; }

    /// <summary>The series' first histories as the server read them for the page's first paint (by metric key): drawn as a
    /// static sketch until Plotly has drawn the chart.</summary>
    [Parameter]
    public IReadOnlyDictionary<string, Pages.SeriesSketch>? Sketches { get; set; }

    /// <summary>Height in pixels.</summary>
    [Parameter]
    public int Height { get; set; } = 300;

    /// <summary>The page's count of first drawings (the run page subscribes to live points once they are done).</summary>
    [CascadingParameter]
    public FirstDrawings? Drawings { get; set; }

    [Inject]
    public required TrackerApi Api { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required ChartUpdatePacer Pacer { get; init; }

    /// <summary>Most points a trace is asked for (2 × the chart's width).</summary>
    internal int MaxPoints => _maxPoints;

    /// <summary>Live points of a run; the chart keeps those of its traces.</summary>
    public void Append(LivePoints points)
    {
        if (!_state.HasAppeared)
            return; // nothing loaded yet: the history fetched when the chart shows will hold these points
        var any = false;
        foreach (var s in points.Series)
        {
            for (var i = 0; i < _series.Count; i++)
            {
                var series = _series[i];
                if (series.Source.RunId != points.RunId || series.Source.Key != s.Key)
                    continue;
                var kept = series.Append(s.Steps, s.Values, s.Times); // still loading: kept, merged by step on load
                if (kept == 0 || !_state.IsLoaded)
                    continue;
                any = true;
                if (series.Count > _maxPoints + _maxPoints / 4)
                {
                    series.Compact(_maxPoints * 3 / 4); // held: at most 1.25 × maxPoints = 2 × the chart's width
                    _state.Thinned();
                }
                else if (_state.ExtendsLive)
                {
                    var (x, y) = series.ProjectTail(kept, _view);
                    _buffer.Add(i, x, y);
                }
            }
        }
        if (!any)
            return;
        if (_state.InView)
            ScheduleFlush();
        else
            _state.MarkStale(); // drawn in full when it comes back into view
    }

    protected override async Task OnParametersSetAsync()
    {
        var key = string.Join('|', Traces.Select(t => t.RunId + "/" + t.Key));
        var tracesChanged = key != _tracesKey;
        var marks = new ChartMarks(MarkerStep, MarkerLabel, StopStep, CheckpointSteps is { } steps ? [.. steps.Order()] : []);
        var viewChanged = View != _view || !marks.SameAs(_marks);
        _view = View;
        _marks = marks;
        if (tracesChanged)
        {
            _tracesKey = key;
            _series = [.. Traces.Select(t => new ChartSeries(t))];
            _state.TracesChanged();
            if (_state.HasAppeared)
                await LoadAsync(null, null);
        }
        else if (viewChanged && _state.IsLoaded)
        {
            if (_state.InView)
                await RedrawAsync(first: false);
            else
                _state.MarkStale();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
            return;
        try
        {
            _self = DotNetObjectReference.Create(this);
            var module = await ModuleAsync();
            await module.InvokeVoidAsync("observeVisible", _cts.Token, Id, _self, VisibleMargin);
        }
        catch (Exception e) when (e is JSException or OperationCanceledException or JSDisconnectedException or ObjectDisposedException) { }
    }

    /// <summary>The chart came near the viewport (<paramref name="visible"/>; <paramref name="inViewport"/>: in it, not only
    /// near) or left it: the first time it loads and draws (a chart only near waits for the page's charts in view to draw
    /// first); later it draws what it kept meanwhile in one go.</summary>
    [JSInvokable]
    public Task OnVisibility(bool visible, bool inViewport)
    {
        if (_state.Seen(visible))
        {
            _firstLoad = FirstLoadAsync(inViewport);
            return _firstLoad;
        }
        return visible && _state.TakeStale() ? RedrawAsync(first: false) : Task.CompletedTask;
    }

    /// <summary>The user zoomed to the x range [<paramref name="x0"/>, <paramref name="x1"/>] (steps, or epoch ms when x is wall time).</summary>
    [JSInvokable]
    public Task OnZoom(double x0, double x1)
    {
        if (!double.IsFinite(x0) || !double.IsFinite(x1))
            return Task.CompletedTask;
        long from,
            to;
        if (_view.WallTime)
        {
            // The server reads ranges by step: the held points say which steps were logged in the time window.
            var ranges = _series.Select(s => s.StepsCovering(x0, x1)).OfType<(long From, long To)>().ToList();
            if (ranges.Count == 0)
                return Task.CompletedTask;
            (from, to) = (ranges.Min(r => r.From), ranges.Max(r => r.To));
        }
        else
        {
            (from, to) = ((long)Math.Floor(Math.Max(0, x0)), (long)Math.Ceiling(x1));
        }
        if (_state.ZoomIn())
            StateHasChanged();
        return LoadAsync(from, to);
    }

    /// <summary>The user went back to the whole range (double-click).</summary>
    [JSInvokable]
    public Task OnAutorange() => _state.Zoomed ? ResetZoomAsync() : Task.CompletedTask;

    private async ValueTask<IJSObjectReference> ModuleAsync() => _module ??= await JS.InvokeAsync<IJSObjectReference>("import", _cts.Token, "./charts.js");

    private async Task LoadAsync(long? fromStep, long? toStep)
    {
        try
        {
            var first = !_buffer.Rendered;
            await MeasureAsync();
            var client = await Api.ClientAsync();
            var series = _series;
            var fetches = series.Select(s => client.GetPackedHistoryAsync(s.Source.RunId, s.Source.Key, _maxPoints, fromStep, toStep, _cts.Token)).ToList();
            if (first)
                await (await ModuleAsync()).InvokeVoidAsync("loadPlotly", _cts.Token); // evaluated while the server answers
            var histories = await Task.WhenAll(fetches);
            if (!ReferenceEquals(series, _series))
                return; // the traces changed meanwhile: their own load draws them
            for (var i = 0; i < series.Count; i++)
            {
                series[i].Load(histories[i], keepLater: toStep is null);
            }
            _state.HistoryLoaded();
            if (!_state.InView)
            {
                _state.MarkStale(); // scrolled away while it loaded
                return;
            }
            if (_error is not null)
            {
                _error = null;
                StateHasChanged();
            }
            await RedrawAsync(first);
            if (Sketches is not null && !_sketchDone)
            {
                _sketchDone = true; // charts.js hid it when it drew; now it leaves the page
                StateHasChanged();
            }
        }
        catch (OperationCanceledException) { }
        catch (JSDisconnectedException) { }
        catch (Exception e) when (e is HttpRequestException or Sdk.Client.TrackerApiException or JSException)
        {
            _error = e.Message;
            StateHasChanged();
        }
    }

    /// <summary>Draws the held points of every trace in one call (first load, zoom, reload, view change).</summary>
    private async Task RedrawAsync(bool first)
    {
        var module = await ModuleAsync();
        await Pacer.RunAsync(
            async () =>
            {
                _buffer.Clear();
                _buffer.Drawn();
                _state.Redrawn();
                var xs = new double[_series.Count][];
                var ys = new double[_series.Count][];
                for (var i = 0; i < _series.Count; i++)
                    (xs[i], ys[i]) = _series[i].Project(_view);
                var spec = new
                {
                    traces = _series
                        .Select(s => new
                        {
                            name = s.Source.Name,
                            color = s.Source.Color,
                            dash = s.Source.Dashed,
                        })
                        .ToArray(),
                    layout = ChartLayout.For(_view, Height, _marks),
                    config = new { responsive = true, displaylogo = false },
                };
                var packed = ChartPacking.Pack(xs, ys);
                await module.InvokeAsync<bool>("draw", _cts.Token, Id, spec, packed, _self);
            },
            _cts.Token,
            rest: !first
        );
        if (!_buffer.Rendered)
            _buffer.MarkRendered();
        ScheduleFlush();
    }

    private void ScheduleFlush()
    {
        if (!_state.TryScheduleFlush(_buffer.Rendered, _buffer.PendingCount))
            return;
        _ = FlushLaterAsync();
    }

    private async Task FlushLaterAsync()
    {
        try
        {
            // A timer may fire a little early: wait again until the buffer lets the points go.
            while (_buffer.DueIn() is var due && due > TimeSpan.Zero)
            {
                await Task.Delay(due < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : due, _cts.Token);
            }
            if (!_state.InView)
            {
                _state.FlushRan();
                _state.MarkStale();
                return;
            }
            if (_state.RedrawDue)
            {
                await RedrawAsync(first: false); // thinned: drawn anew, with what was queued
                _state.FlushRan();
                ScheduleFlush();
                return;
            }
            var module = await ModuleAsync();
            // Points keep arriving while other charts draw: they all go in this chart's one update.
            await Pacer.RunAsync(
                async () =>
                {
                    _state.FlushRan();
                    if (_state.RedrawDue)
                    {
                        ScheduleFlush();
                        return;
                    }
                    if (!_buffer.TryTake(out var update))
                        return;
                    var packed = ChartPacking.Pack(update.X, update.Y);
                    await module.InvokeAsync<bool>("extend", _cts.Token, Id, packed, update.Traces, 2 * _maxPoints);
                },
                _cts.Token
            );
            if (_buffer.PendingCount > 0)
                ScheduleFlush();
        }
        catch (OperationCanceledException) { }
        catch (JSDisconnectedException) { }
        catch (JSException)
        {
            _state.FlushRan();
        }
    }

    private async Task ResetZoomAsync()
    {
        _state.ZoomReset();
        StateHasChanged();
        try
        {
            var module = await ModuleAsync();
            await module.InvokeVoidAsync("resetAxes", _cts.Token, Id);
        }
        catch (Exception e) when (e is JSException or OperationCanceledException or JSDisconnectedException) { }
        await LoadAsync(null, null);
    }

    /// <summary>Points asked of the server for a chart <paramref name="width"/> pixels wide: 1.6 per pixel, so that with the
    /// live points it gathers before thinning (up to 1.25 × this) a chart never holds more than 2 × its width.</summary>
    private static int PointsFor(int width) => width * 8 / 5;

    private async Task MeasureAsync()
    {
        try
        {
            var module = await ModuleAsync();
            var width = await module.InvokeAsync<int>("elementWidth", _cts.Token, Id);
            _maxPoints = PointsFor(width > 100 ? width : DefaultWidth);
        }
        catch (JSException)
        {
            _maxPoints = PointsFor(DefaultWidth);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("purge", Id);
                await _module.DisposeAsync();
            }
            catch (Exception e) when (e is JSException or JSDisconnectedException or OperationCanceledException) { }
        }
        _self?.Dispose();
        _cts.Dispose();
    }
}
