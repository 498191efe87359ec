using Microsoft.AspNetCore.Components;
using Tracker.Client.Charts;
using Tracker.Client.Components;
using Tracker.Client.Services;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Pages;

/// <summary><c>/compare?runs=a,b,…</c>: the runs overlaid per metric, a colour per run, a legend with the config keys that differ.</summary>
public sealed partial class Compare : ComponentBase, IAsyncDisposable
{
    private readonly Dictionary<string, MetricChart> _charts = new(StringComparer.Ordinal);
    private readonly List<IAsyncDisposable> _subscriptions = [];
    private List<RunDto> _runs = [];
    private Dictionary<string, Dictionary<string, string>> _configs = [];
    private List<string> _differing = [];
    private List<string> _keys = [];
    private ChartView _view = new();
    private bool _loaded;
    private bool _signedOut;
    private string? _error;

    /// <summary>Comma-separated run ids.</summary>
    [SupplyParameterFromQuery(Name = "runs")]
    public string? RunIds { get; set; }

    [Inject]
    public required TrackerApi Api { get; init; }

    [Inject]
    public required LiveConnection Live { get; init; }

    protected override async Task OnInitializedAsync()
    {
        if (!await Api.IsSignedInAsync())
        {
            _signedOut = true;
            return;
        }
        var ids = (RunIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (ids.Count == 0)
        {
            _error = "Choose runs to compare on a project's page (or pass ?runs=id1,id2).";
            return;
        }
        try
        {
            foreach (var id in ids)
            {
                try
                {
                    _subscriptions.Add(await Live.SubscribeRunAsync(id, OnPoints));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Live updates are a bonus here; the charts still load.
                    _ = e;
                }
            }
            var client = await Api.ClientAsync();
            _runs = [.. await Task.WhenAll(ids.Select(id => client.GetRunAsync(id)))];
            var series = await Task.WhenAll(ids.Select(id => client.ListSeriesAsync(id)));
            _keys =
            [
                .. series
                    .SelectMany(s => s.Series.Select(x => x.Key))
                    .Where(k => !MetricGroups.IsGradNorm(k))
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal),
            ];
            _configs = _runs.ToDictionary(r => r.Id, r => RunHeader.Flatten(r.Config).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
            _differing = DifferingKeys(_configs.Values.ToList());
            _loaded = true;
        }
        catch (TrackerApiException e)
        {
            _error = e.Message;
        }
    }

    /// <summary>Config keys whose value is not the same in every run (absent counts as a value).</summary>
    public static List<string> DifferingKeys(IReadOnlyList<Dictionary<string, string>> configs) =>
        [
            .. configs
                .SelectMany(c => c.Keys)
                .Distinct(StringComparer.Ordinal)
                .Where(k => configs.Select(c => c.TryGetValue(k, out var v) ? v : null).Distinct().Count() > 1)
                .Order(StringComparer.Ordinal),
        ];

    private string ConfigValue(RunDto run, string key) => _configs.TryGetValue(run.Id, out var c) && c.TryGetValue(key, out var v) ? v : "—";

    private IReadOnlyList<TraceSource> TracesOf(string key) =>
        [.. _runs.Select((r, i) => new TraceSource(r.Id, key, LegendName(r), Palette.Colors[i % Palette.Colors.Length]))];

    private string LegendName(RunDto run)
    {
        var diffs = _differing.Take(3).Select(k => $"{k}={ConfigValue(run, k)}").ToList();
        return diffs.Count == 0 ? run.Name : $"{run.Name} ({string.Join(", ", diffs)})";
    }

    private void OnPoints(LivePoints points)
    {
        foreach (var chart in _charts.Values)
            chart.Append(points);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _subscriptions)
            await s.DisposeAsync();
    }
}
