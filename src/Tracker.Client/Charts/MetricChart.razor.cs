using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Plotly.Blazor;
using Plotly.Blazor.Interop;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Tracker.Client.Services;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Charts;

/// <summary>One Plotly chart of one or more series: loads their sampled history (≈ 2 × its width in points), appends live
/// points with <c>extendTraces</c> (coalesced, ≤ 5 updates per second, never before the first render), refetches the
/// visible step range at full resolution when zoomed.</summary>
public sealed partial class MetricChart : ComponentBase, IAsyncDisposable
{
    private const int DefaultWidth = 800;

    private readonly ChartPointBuffer _buffer = new(TimeSpan.FromMilliseconds(200), TimeProvider.System);
    private readonly CancellationTokenSource _cts = new();
    private PlotlyChart? _chart;
    private readonly List<ITrace> _data = [];
    private readonly Layout _layout = new();
    private Plotly.Blazor.Config _config = new() { Responsive = true, DisplayLogo = false };
    private List<ChartSeries> _series = [];
    private string _tracesKey = "";
    private ChartView _view = new();
    private long? _marker;
    private bool _loaded;
    private bool _zoomed;
    private bool _renderRequested;
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

    /// <summary>Live points of a run; the chart keeps those of its traces.</summary>
    public void Append(LivePoints points)
    {
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
                if (series.Count > 2 * _maxPoints) ScheduleReload();
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
            ApplyLayout();
            await LoadAsync(null, null);
        }
        else if (viewChanged && _loaded)
        {
            ApplyLayout();
            await RedrawAsync();
        }
    }

    /// <summary>The chart re-renders only when it asks to (zoom link, error): a parent's re-render must not make
    /// Plotly redraw from the component's data and so drop the points appended live.</summary>
    protected override bool ShouldRender()
    {
        if (!_renderRequested && _chart is not null) return false;
        _renderRequested = false;
        return true;
    }

    private void Render()
    {
        _renderRequested = true;
        StateHasChanged();
    }

    private async Task LoadAsync(long? fromStep, long? toStep)
    {
        try
        {
            await MeasureAsync();
            var client = await Api.ClientAsync();
            var histories = await Task.WhenAll(_series.Select(s =>
                client.GetHistoryAsync(s.Source.RunId, s.Source.Key, maxPoints: _maxPoints, fromStep: fromStep, toStep: toStep, cancellationToken: _cts.Token)));
            for (var i = 0; i < _series.Count; i++)
            {
                _series[i].Load([.. histories[i].Points.Select(p => (p.Step, p.Value, p.Time))], keepLater: toStep is null);
            }
            _loaded = true;
            _error = null;
            await RedrawAsync();
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is HttpRequestException or Sdk.Client.TrackerApiException or NotSignedInException or JSException)
        {
            _error = e.Message;
            Render();
        }
    }

    private async Task RedrawAsync()
    {
        _buffer.Clear();
        _data.Clear();
        foreach (var s in _series) _data.Add(BuildTrace(s));
        if (_chart is null || !_buffer.Rendered) return; // the first render draws _data
        await Pacer.RunAsync(() => _chart.React(_cts.Token), _cts.Token);
    }

    private Scatter BuildTrace(ChartSeries s)
    {
        var (x, y) = s.Project(_view);
        return new Scatter
        {
            Name = s.Source.Name,
            Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines,
            X = x!,
            Y = y!,
            Line = new Plotly.Blazor.Traces.ScatterLib.Line
            {
                Color = s.Source.Color,
                Width = 1.6m,
                Dash = s.Source.Dashed ? "dash" : null,
            },
        };
    }

    /// <summary>Sets the layout in place (the chart holds the same instance).</summary>
    private void ApplyLayout()
    {
        _layout.Height = Height;
        _layout.Margin = new Margin { L = 50, R = 10, T = 10, B = 36 };
        _layout.ShowLegend = true;
        _layout.UiRevision = "keep";
        _layout.XAxis = [new XAxis { Type = _view.WallTime ? Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date : Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Linear }];
        _layout.YAxis = [new YAxis { Type = _view.LogY ? Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log : Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Linear }];
        _layout.Shapes = _marker is { } step && !_view.WallTime
            ? [new Shape { Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Line, X0 = step, X1 = step, Y0 = 0, Y1 = 1, YRef = "paper", Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = "#16a34a", Dash = "dot", Width = 1.5m } }]
            : [];
    }

    private void OnChartRendered() => _ = OnChartRenderedAsync();

    private async Task OnChartRenderedAsync()
    {
        if (_chart is null || _buffer.Rendered) return;
        _buffer.MarkRendered();
        try
        {
            if (_loaded) await _chart.React(_cts.Token);
            await _chart.SubscribeRelayoutEvent(_cts.Token);
        }
        catch (OperationCanceledException)
        {
        }
        ScheduleFlush();
    }

    private void ScheduleFlush()
    {
        if (_flushScheduled || !_buffer.Rendered) return;
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
            // Points keep arriving while other charts draw: they all go in this chart's one update.
            await Pacer.RunAsync(async () =>
            {
                _flushScheduled = false;
                if (_chart is null || !_buffer.TryTake(out var update)) return;
                await _chart.ExtendTraces(update.X.Select(x => x.Select(v => v!)), update.Y.Select(y => y.Select(v => v!)), update.Traces, 4 * _maxPoints, _cts.Token);
            }, _cts.Token);
            if (_buffer.PendingCount > 0) ScheduleFlush();
        }
        catch (OperationCanceledException)
        {
        }
        catch (JSDisconnectedException)
        {
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

    private void OnRelayout(RelayoutEventData data)
    {
        if (_view.WallTime) return; // zoom refetch is by step range
        if (data.XRange is { Length: 2 } r && ToDouble(r[0]) is { } x0 && ToDouble(r[1]) is { } x1)
        {
            _zoomed = true;
            _ = ZoomAsync((long)Math.Floor(Math.Max(0, x0)), (long)Math.Ceiling(x1));
        }
        else if (data.RawData is { } raw && raw.Keys.Any(k => k.Contains("autorange", StringComparison.Ordinal)) && _zoomed)
        {
            _ = ResetZoomAsync();
        }
    }

    private async Task ZoomAsync(long from, long to)
    {
        await LoadAsync(from, to);
        _layout.XAxis[0].Range = [from, to];
        _layout.XAxis[0].AutoRange = Plotly.Blazor.LayoutLib.XAxisLib.AutoRangeEnum.False;
        if (_chart is not null) await _chart.Relayout(_cts.Token);
        Render();
    }

    private async Task ResetZoomAsync()
    {
        _zoomed = false;
        ApplyLayout();
        await LoadAsync(null, null);
        Render();
    }

    private async Task MeasureAsync()
    {
        try
        {
            await using var module = await JS.InvokeAsync<IJSObjectReference>("import", "./_content/Tracker.Client/tracker.js");
            var width = await module.InvokeAsync<int>("elementWidth", Id);
            _maxPoints = 2 * (width > 100 ? width : DefaultWidth);
        }
        catch (JSException)
        {
            _maxPoints = 2 * DefaultWidth;
        }
    }

    private static double? ToDouble(object? o) => o switch
    {
        double d => d,
        long l => l,
        int i => i,
        decimal m => (double)m,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        JsonElement { ValueKind: JsonValueKind.String } e when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => null,
    };

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _cts.Dispose();
    }
}
