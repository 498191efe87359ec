using System.Diagnostics;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Tracker.Client.Components;
using Tracker.Client.Services;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Pages;

/// <summary><c>/projects/{project}</c>: the runs table, kept current through the project's live group.</summary>
public sealed partial class ProjectRuns : ComponentBase, IAsyncDisposable
{
    private static readonly TimeSpan CatchUpMargin = TimeSpan.FromSeconds(5);

    private readonly RunsTableModel _model = new();
    private readonly CancellationTokenSource _cts = new();
    private RunsTable? _table;
    private IAsyncDisposable? _subscription;
    private bool _loaded;
    private bool _signedOut;
    private bool _canWrite;
    private bool _refreshScheduled;
    private bool _liveStarted;
    private string? _liveError;
    private long _loadMs;
    private string? _error;

    /// <summary>The project's slug.</summary>
    [Parameter]
    public string Project { get; set; } = "";

    /// <summary>Filters and columns carried by the URL (<c>?group=&amp;state=&amp;tag=&amp;pattern=&amp;q=&amp;cols=a:last,b:max&amp;sort=&amp;desc=</c>).</summary>
    [SupplyParameterFromQuery(Name = "group")]
    public string? GroupFilter { get; set; }

    /// <inheritdoc cref="GroupFilter"/>
    [SupplyParameterFromQuery(Name = "state")]
    public string? StateFilter { get; set; }

    /// <inheritdoc cref="GroupFilter"/>
    [SupplyParameterFromQuery(Name = "tag")]
    public string? TagFilter { get; set; }

    /// <inheritdoc cref="GroupFilter"/>
    [SupplyParameterFromQuery(Name = "pattern")]
    public string? PatternFilter { get; set; }

    /// <inheritdoc cref="GroupFilter"/>
    [SupplyParameterFromQuery(Name = "q")]
    public string? NameFilter { get; set; }

    /// <inheritdoc cref="GroupFilter"/>
    [SupplyParameterFromQuery(Name = "cols")]
    public string? ColumnsParam { get; set; }

    /// <inheritdoc cref="GroupFilter"/>
    [SupplyParameterFromQuery(Name = "sort")]
    public string? SortParam { get; set; }

    /// <inheritdoc cref="GroupFilter"/>
    [SupplyParameterFromQuery(Name = "desc")]
    public bool? DescendingParam { get; set; }

    [Inject]
    public required TrackerApi Api { get; init; }

    [Inject]
    public required LiveConnection Live { get; init; }

    [Inject]
    public required NavigationManager Nav { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    protected override async Task OnInitializedAsync()
    {
        if (!await Api.IsSignedInAsync())
        {
            _signedOut = true;
            return;
        }
        var clock = Stopwatch.StartNew();
        ApplyQuery();
        try
        {
            var client = await Api.ClientAsync();
            var identity = Api.CanWriteAsync();
            await LoadRunsAsync(client, since: null);
            if (string.IsNullOrEmpty(ColumnsParam))
                _model.AddDefaultColumns();
            _canWrite = await identity;
            _loaded = true;
            _loadMs = clock.ElapsedMilliseconds;
        }
        catch (TrackerApiException e)
        {
            _error = e.Message;
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!_loaded || _liveStarted)
            return;
        _liveStarted = true;
        _ = GoLiveAsync();
    }

    /// <summary>Subscribes to the project's live group once the table is on screen (the hub's start-up does not delay
    /// it), then reads the runs updated since the list was read, so that no change made in between is lost.</summary>
    private async Task GoLiveAsync()
    {
        try
        {
            var subscription = await Live.SubscribeProjectAsync(Project, OnSummary, OnState, OnEvent);
            if (_cts.IsCancellationRequested)
            {
                await subscription.DisposeAsync();
                return;
            }
            _subscription = subscription;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _liveError = "Live updates unavailable: " + e.Message;
            StateHasChanged();
            return;
        }
        try
        {
            // Writes stamp a run's update time a little before they commit: read back a margin before the newest stamp seen.
            DateTimeOffset? since = _model.Count == 0 ? null : _model.All.Max(r => r.UpdatedAt) - CatchUpMargin;
            await LoadRunsAsync(await Api.ClientAsync(), since);
            ScheduleRefresh();
        }
        catch (Exception e) when (e is OperationCanceledException or TrackerApiException or HttpRequestException) { }
    }

    /// <summary>Reads the project's runs (those updated since <paramref name="since"/> when given) into the table, page by page.</summary>
    private async Task LoadRunsAsync(TrackerClient client, DateTimeOffset? since)
    {
        string? cursor = null;
        do
        {
            var page = await client.ListRunsAsync(Project, new RunQuery(Limit: 500, Cursor: cursor, UpdatedSince: since), _cts.Token);
            _model.Upsert(page.Runs);
            cursor = page.NextCursor;
        } while (cursor is not null && _model.Count < 10_000);
    }

    private void ApplyQuery()
    {
        _model.Group = GroupFilter;
        _model.Tag = TagFilter;
        _model.Pattern = PatternFilter;
        _model.Search = NameFilter;
        _model.State = Enum.TryParse<RunState>(StateFilter, ignoreCase: true, out var s) ? s : null;
        _model.Columns.Clear();
        foreach (var c in (ColumnsParam ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            _model.Columns.Add(SummaryColumn.Parse(c));
        }
        if (!string.IsNullOrEmpty(SortParam))
            _model.Sort = SortParam;
        if (DescendingParam is { } d)
            _model.Descending = d;
    }

    /// <summary>Writes the table's state into the URL (<c>history.replaceState</c>: no navigation, no reload), so a link shares the view.</summary>
    private async Task OnTableChanged()
    {
        var url = Nav.GetUriWithQueryParameters(
            new Dictionary<string, object?>
            {
                ["group"] = NullIfEmpty(_model.Group),
                ["state"] = _model.State?.ToString().ToLowerInvariant(),
                ["tag"] = NullIfEmpty(_model.Tag),
                ["pattern"] = NullIfEmpty(_model.Pattern),
                ["q"] = NullIfEmpty(_model.Search),
                ["cols"] = _model.Columns.Count == 0 ? null : string.Join(',', _model.Columns),
                ["sort"] = _model.Sort == "created" ? null : _model.Sort,
                ["desc"] = _model.Sort == "created" && _model.Descending ? null : _model.Descending,
            }
        );
        StateHasChanged();
        if (url != Nav.Uri)
            await JS.InvokeVoidAsync("history.replaceState", null, "", url);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private void OnSummary(LiveRunSummary delta)
    {
        if (!_model.Apply(delta, DateTimeOffset.UtcNow))
            _ = LoadRunAsync(delta.RunId);
        ScheduleRefresh();
    }

    private void OnState(LiveRunState change)
    {
        if (!_model.Apply(change))
            _ = LoadRunAsync(change.RunId);
        ScheduleRefresh();
    }

    private void OnEvent(LiveRunEvent e)
    {
        if (e.Kind == "verdict")
            _ = LoadRunAsync(e.RunId); // the run carries its latest verdict
    }

    private async Task LoadRunAsync(string runId)
    {
        try
        {
            var client = await Api.ClientAsync();
            _model.Upsert([await client.GetRunAsync(runId, _cts.Token)]);
            ScheduleRefresh();
        }
        catch (TrackerApiException) { }
    }

    /// <summary>Live updates re-render the table at most 5 times a second.</summary>
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
            await Task.Delay(200, _cts.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        _refreshScheduled = false;
        await InvokeAsync(() =>
        {
            _table?.Refresh();
            StateHasChanged();
        });
    }

    private void Compare() => Nav.NavigateTo("compare?runs=" + string.Join(',', _model.Selected.Select(Uri.EscapeDataString)));

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        if (_subscription is not null)
            await _subscription.DisposeAsync();
        _cts.Dispose();
    }
}
