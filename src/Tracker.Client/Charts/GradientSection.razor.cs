using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Tracker.Client.Services;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Charts;

/// <summary>Per-layer gradient norms (<c>grad_norm/*</c>): one line per layer, and a heatmap layer × step refreshed
/// at most every few seconds while the run logs.</summary>
public sealed partial class GradientSection : ComponentBase, IAsyncDisposable
{
    private const int HeatmapColumns = 200;
    private readonly CancellationTokenSource _cts = new();
    private readonly Plotly.Blazor.Config _config = new() { Responsive = true, DisplayLogo = false };
    private MetricChart? _lines;
    private PlotlyChart? _heatmap;
    private IReadOnlyList<TraceSource> _traces = [];
    private readonly List<ITrace> _heatData = [];
    private Layout _heatLayout = new() { Height = 300, Margin = new Margin { L = 120, R = 10, T = 10, B = 36 } };
    private bool _rendered;
    private bool _refreshScheduled;
    private string _keysKey = "";

    /// <summary>The run.</summary>
    [Parameter, EditorRequired] public required string RunId { get; set; }

    /// <summary>The <c>grad_norm/*</c> keys.</summary>
    [Parameter, EditorRequired] public required IReadOnlyList<string> Keys { get; set; }

    /// <summary>Smoothing and axes of the line chart.</summary>
    [Parameter] public ChartView View { get; set; } = new();

    [Inject] public required TrackerApi Api { get; init; }

    /// <summary>Live points: the lines append them, the heatmap refreshes later.</summary>
    public void Append(LivePoints points)
    {
        _lines?.Append(points);
        if (points.Series.Any(s => MetricGroups.IsGradNorm(s.Key))) ScheduleRefresh();
    }

    protected override async Task OnParametersSetAsync()
    {
        var key = string.Join('|', Keys);
        if (key == _keysKey) return;
        _keysKey = key;
        _traces = [.. Keys.Select((k, i) => new TraceSource(RunId, k, k[MetricGroups.GradNormPrefix.Length..], Palette.Colors[i % Palette.Colors.Length]))];
        if (_rendered) await RefreshHeatmapAsync();
    }

    private void OnHeatmapRendered()
    {
        if (_rendered) return;
        _rendered = true;
        _ = RefreshHeatmapAsync();
    }

    private void ScheduleRefresh()
    {
        if (_refreshScheduled) return;
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
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RefreshHeatmapAsync()
    {
        if (_heatmap is null || Keys.Count == 0) return;
        var client = await Api.ClientAsync();
        var histories = await Task.WhenAll(Keys.Select(k => client.GetHistoryAsync(RunId, k, maxPoints: HeatmapColumns, cancellationToken: _cts.Token)));
        var steps = histories.OrderByDescending(h => h.Points.Count).First().Points.Select(p => p.Step).ToList();
        var z = new List<object>();
        foreach (var h in histories)
        {
            var byStep = h.Points.GroupBy(p => p.Step).ToDictionary(g => g.Key, g => g.Last().Value);
            z.Add(steps.Select(s => byStep.TryGetValue(s, out var v) && v > 0 && double.IsFinite(v) ? (object?)Math.Log10(v) : null).ToList());
        }
        _heatData.Clear();
        _heatData.Add(new HeatMap
        {
            X = [.. steps.Cast<object>()],
            Y = [.. Keys.Select(k => (object)k[MetricGroups.GradNormPrefix.Length..])],
            Z = z,
            ColorScale = "Viridis",
        });
        await _heatmap.React(_cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        _cts.Dispose();
    }
}
