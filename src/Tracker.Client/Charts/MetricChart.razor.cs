using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Tracker.Client.Services;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Charts;

/// <summary>One Plotly chart of one or more series, drawn by our <c>charts.js</c> with packed float64 arrays (no
/// per-point objects through the interop). Loads nothing until it comes near the viewport; then loads its series'
/// sampled history (<c>maxPoints</c> = 2 × its width in pixels, never the full history), appends live points with
/// <c>extendTraces</c> (coalesced, ≤ 5 updates per second, never before the first drawing), reloads the sampled
/// history when live points make a trace hold more than ~2 × its budget, and refetches the visible step range at full
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
    private long? _marker;
    private bool _visible;
    private bool _loaded;
    private bool _zoomed;
    private bool _flushScheduled;
    private bool _reloadScheduled;
    private int _maxPoints = 2 * DefaultWidth;
    private string? _error;

    /// <summary>DOM id of the chart's element (tests read its <c>data</c>).</summary>
    [Parameter, EditorRequired] public required string Id { get; set; }

    /// <summary>Heading.</summary>
    [Parameter] public string? Title { get; set; }

    /// <summary>The lines.</summary>
    [Parameter, EditorRequired] public required IReadOnlyList<TraceSource> Traces { get; set; }

    /// <summary>Smoothing, scale and x axis.</summary>
    [Parameter] public ChartView View { get; set; } = new();

    /// <summary>A step to mark with a vertical line (the advised best step).</summary>
    [Parameter] public long? MarkerStep { get; set; }

    /// <summary>Height in pixels.</summary>
    [Parameter] public int Height { get; set; } = 300;

    [Inject] public required TrackerApi Api { get; init; }

    [Inject] public required IJSRuntime JS { get; init; }

    [Inject] public required ChartUpdatePacer Pacer { get; init; }

    /// <summary>Most points a trace is asked for (2 × the chart's width).</summary>
    internal int MaxPoints => _maxPoints;

    /// <summary>Live points of a run; the chart keeps those of its traces.</summary>
    public void Append(LivePoints points)
    {
        if (!_visible) return; // nothing loaded yet: the history fetched when the chart shows will hold these points
        var any = false;
        foreach (var s in points.Series)
        {
            for (var i = 0; i < _series.Count; i++)
            {
                var series = _series[i];
                if (series.Source.RunId != points.RunId || series.Source.Key != s.Key) continue;
                if (!_loaded)
                {
                    series.Append(s.Steps, s.Values, s.Times); // history still loading: kept, merged by step on load
                    continue;
                }
                var kept = series.Append(s.Steps, s.Values, s.Times);
                if (kept == 0) continue;
                var (x, y) = series.ProjectTail(kept, _view);
                _buffer.Add(i, x, y);
                any = true;
                if (series.Count > _maxPoints + _maxPoints / 4) ScheduleReload();
            }
        }
        if (any) ScheduleFlush();
    }

    protected override async Task OnParametersSetAsync()
    {
        var key = string.Join('|', Traces.Select(t => t.RunId + "/" + t.Key));
        var tracesChanged = key != _tracesKey;
        var viewChanged = View != _view || MarkerStep != _marker;
        _view = View;
        _marker = MarkerStep;
        if (tracesChanged)
        {
            _tracesKey = key;
            _series = [.. Traces.Select(t => new ChartSeries(t))];
            _loaded = false;
            if (_visible) await LoadAsync(null, null);
        }
        else if (viewChanged && _loaded)
        {
            await RedrawAsync(first: false);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            _self = DotNetObjectReference.Create(this);
            var module = await ModuleAsync();
            await module.InvokeVoidAsync("observeVisible", _cts.Token, Id, _self, VisibleMargin);
        }
        catch (Exception e) when (e is JSException or OperationCanceledException or JSDisconnectedException or ObjectDisposedException)
        {
        }
    }

    /// <summary>The chart came near the viewport: load and draw it.</summary>
    [JSInvokable]
    public Task OnVisible()
    {
        if (_visible) return Task.CompletedTask;
        _visible = true;
        return LoadAsync(null, null);
    }

    /// <summary>The user zoomed to the x range [<paramref name="x0"/>, <paramref name="x1"/>].</summary>
    [JSInvokable]
    public Task OnZoom(double x0, double x1)
    {
        if (_view.WallTime || !double.IsFinite(x0) || !double.IsFinite(x1)) return Task.CompletedTask; // zoom refetch is by step range
        if (!_zoomed)
        {
            _zoomed = true;
            StateHasChanged();
        }
        return LoadAsync((long)Math.Floor(Math.Max(0, x0)), (long)Math.Ceiling(x1));
    }

    /// <summary>The user went back to the whole range (double-click).</summary>
    [JSInvokable]
    public Task OnAutorange() => _zoomed ? ResetZoomAsync() : Task.CompletedTask;

    private async ValueTask<IJSObjectReference> ModuleAsync() =>
        _module ??= await JS.InvokeAsync<IJSObjectReference>("import", _cts.Token, "./charts.js");

    private async Task LoadAsync(long? fromStep, long? toStep)
    {
        try
        {
            var first = !_buffer.Rendered;
            await MeasureAsync();
            var client = await Api.ClientAsync();
            var series = _series;
            var histories = await Task.WhenAll(series.Select(s =>
                client.GetHistoryAsync(s.Source.RunId, s.Source.Key, maxPoints: _maxPoints, fromStep: fromStep, toStep: toStep, cancellationToken: _cts.Token)));
            if (!ReferenceEquals(series, _series)) return; // the traces changed meanwhile: their own load draws them
            for (var i = 0; i < series.Count; i++)
            {
                series[i].Load([.. histories[i].Points.Select(p => (p.Step, p.Value, p.Time))], keepLater: toStep is null);
            }
            _loaded = true;
            if (_error is not null)
            {
                _error = null;
                StateHasChanged();
            }
            await RedrawAsync(first);
        }
        catch (OperationCanceledException)
        {
        }
        catch (JSDisconnectedException)
        {
        }
        catch (Exception e) when (e is HttpRequestException or Sdk.Client.TrackerApiException or NotSignedInException or JSException)
        {
            _error = e.Message;
            StateHasChanged();
        }
    }

    /// <summary>Draws the held points of every trace in one call (first load, zoom, reload, view change).</summary>
    private async Task RedrawAsync(bool first)
    {
        var module = await ModuleAsync();
        await Pacer.RunAsync(async () =>
        {
            _buffer.Clear();
            var xs = new double[_series.Count][];
            var ys = new double[_series.Count][];
            for (var i = 0; i < _series.Count; i++) (xs[i], ys[i]) = _series[i].Project(_view);
            var spec = new
            {
                traces = _series.Select(s => new { name = s.Source.Name, color = s.Source.Color, dash = s.Source.Dashed }).ToArray(),
                layout = Layout(),
                config = new { responsive = true, displaylogo = false },
            };
            await module.InvokeAsync<bool>("draw", _cts.Token, Id, spec, ChartPacking.Pack(xs, ys), _self);
        }, _cts.Token, rest: !first);
        if (!_buffer.Rendered) _buffer.MarkRendered();
        ScheduleFlush();
    }

    private object Layout() => new
    {
        height = Height,
        margin = new { l = 50, r = 10, t = 10, b = 36 },
        showlegend = true,
        // A user's zoom survives redraws with the same view; a new axis type starts from autorange.
        uirevision = $"{_view.WallTime}/{_view.LogY}",
        xaxis = new { type = _view.WallTime ? "date" : "linear" },
        yaxis = new { type = _view.LogY ? "log" : "linear" },
        shapes = _marker is { } step && !_view.WallTime
            ? new object[] { new { type = "line", x0 = step, x1 = step, y0 = 0, y1 = 1, yref = "paper", line = new { color = "#16a34a", dash = "dot", width = 1.5 } } }
            : [],
    };

    private void ScheduleFlush()
    {
        if (_flushScheduled || !_buffer.Rendered || _buffer.PendingCount == 0) return;
        _flushScheduled = true;
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
            var module = await ModuleAsync();
            // Points keep arriving while other charts draw: they all go in this chart's one update.
            await Pacer.RunAsync(async () =>
            {
                _flushScheduled = false;
                if (!_buffer.TryTake(out var update)) return;
                await module.InvokeAsync<bool>("extend", _cts.Token, Id, ChartPacking.Pack(update.X, update.Y), update.Traces, 2 * _maxPoints);
            }, _cts.Token);
            if (_buffer.PendingCount > 0) ScheduleFlush();
        }
        catch (OperationCanceledException)
        {
        }
        catch (JSDisconnectedException)
        {
        }
        catch (JSException)
        {
            _flushScheduled = false;
        }
    }

    private void ScheduleReload()
    {
        if (_reloadScheduled) return;
        _reloadScheduled = true;
        _ = ReloadLaterAsync();
    }

    private async Task ReloadLaterAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), _cts.Token);
            _reloadScheduled = false;
            if (!_zoomed) await LoadAsync(null, null);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ResetZoomAsync()
    {
        _zoomed = false;
        StateHasChanged();
        try
        {
            var module = await ModuleAsync();
            await module.InvokeVoidAsync("resetAxes", _cts.Token, Id);
        }
        catch (Exception e) when (e is JSException or OperationCanceledException or JSDisconnectedException)
        {
        }
        await LoadAsync(null, null);
    }

    private async Task MeasureAsync()
    {
        try
        {
            var module = await ModuleAsync();
            var width = await module.InvokeAsync<int>("elementWidth", _cts.Token, Id);
            _maxPoints = 2 * (width > 100 ? width : DefaultWidth);
        }
        catch (JSException)
        {
            _maxPoints = 2 * DefaultWidth;
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
            catch (Exception e) when (e is JSException or JSDisconnectedException or OperationCanceledException)
            {
            }
        }
        _self?.Dispose();
        _cts.Dispose();
    }
}
