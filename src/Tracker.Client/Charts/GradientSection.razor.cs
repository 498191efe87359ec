using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Tracker.Client.Services;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Charts;

/// <summary>Per-layer gradient norms (<c>grad_norm/*</c>): one line per layer, and a heatmap layer × step refreshed
/// at most every few seconds while the run logs.</summary>
public sealed partial class GradientSection : ComponentBase, IAsyncDisposable
{
    private const int HeatmapColumns = 200;
    private readonly CancellationTokenSource _cts = new();
    private MetricChart? _lines;
    private IJSObjectReference? _module;
    private IReadOnlyList<TraceSource> _traces = [];
    private bool _rendered;
    private bool _refreshScheduled;
    private string _keysKey = "";

    /// <summary>The run.</summary>
    [Parameter, EditorRequired]
    public required string RunId { get; set; }

    /// <summary>The <c>grad_norm/*</c> keys.</summary>
    [Parameter, EditorRequired]
    public required IReadOnlyList<string> Keys { get; set; }

    /// <summary>Smoothing and axes of the line chart.</summary>
    [Parameter]
    public ChartView View { get; set; } = new();

    [Inject]
    public required TrackerApi Api { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    /// <summary>Live points: the lines append them, the heatmap refreshes later.</summary>
    public void Append(LivePoints points)
    {
        _lines?.Append(points);
        if (points.Series.Any(s => MetricGroups.IsGradNorm(s.Key)))
            ScheduleRefresh();
    }

    /// <summary>The page's live subscription started: the lines read what was logged meanwhile, the heatmap is read again.</summary>
    public async Task CatchUpAsync()
    {
        if (_lines is not null)
            await _lines.CatchUpAsync();
        await RefreshHeatmapAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        var key = string.Join('|', Keys);
        if (key == _keysKey)
            return;
        _keysKey = key;
        _traces = [.. Keys.Select((k, i) => new TraceSource(RunId, k, k[MetricGroups.GradNormPrefix.Length..], Palette.Colors[i % Palette.Colors.Length]))];
        if (_rendered)
            await RefreshHeatmapAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
            return;
        _rendered = true;
        await RefreshHeatmapAsync();
    }

    private void ScheduleRefresh()
    {
        if (_refreshScheduled)
            return;
        _refreshScheduled = true;
        _ = RefreshLaterAsync();
    }

    private async Task RefreshLaterAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3), _cts.Token);
            _refreshScheduled = false;
            await RefreshHeatmapAsync();
        }
        catch (OperationCanceledException) { }
    }

    private async Task RefreshHeatmapAsync()
    {
        if (!_rendered || Keys.Count == 0)
            return;
        try
        {
            var client = await Api.ClientAsync();
            var histories = await Task.WhenAll(Keys.Select(k => client.GetPackedHistoryAsync(RunId, k, HeatmapColumns, cancellationToken: _cts.Token)));
            var (steps, z) = HeatmapGrid.Build(histories);
            var labels = Keys.Select(k => k[MetricGroups.GradNormPrefix.Length..]).ToArray();
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", _cts.Token, "./charts.js");
            await _module.InvokeVoidAsync(
                "heatmap",
                _cts.Token,
                "grad-heatmap",
                steps,
                labels,
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(z.AsSpan()).ToArray(),
                new
                {
                    height = 300,
                    margin = new
                    {
                        l = 120,
                        r = 10,
                        t = 10,
                        b = 36,
                    },
                },
                new { responsive = true, displaylogo = false }
            );
        }
        catch (Exception e)
            when (e is OperationCanceledException or JSException or JSDisconnectedException or HttpRequestException or Sdk.Client.TrackerApiException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        if (_module is not null)
        {
            try
            {
                await _module.InvokeVoidAsync("purge", "grad-heatmap");
                await _module.DisposeAsync();
            }
            catch (Exception e) when (e is JSException or JSDisconnectedException) { }
        }
        _cts.Dispose();
    }
}
