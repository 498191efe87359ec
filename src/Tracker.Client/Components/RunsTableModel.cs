using Tracker.Sdk.Contracts;

namespace Tracker.Client.Components;

/// <summary>Which summary value a column shows.</summary>
public enum SummaryAggregate
{
    /// <summary>The last logged value.</summary>
    Last,

    /// <summary>The smallest value (best loss).</summary>
    Min,

    /// <summary>The largest value (best accuracy).</summary>
    Max,
}

/// <summary>A user-chosen summary column, written <c>key:last</c>, <c>key:min</c> or <c>key:max</c> in the URL.</summary>
/// <param name="Key">Metric key.</param>
/// <param name="Aggregate">Which value.</param>
public sealed record SummaryColumn(string Key, SummaryAggregate Aggregate)
{
    /// <summary>The URL form.</summary>
    public override string ToString() => $"{Key}:{Aggregate.ToString().ToLowerInvariant()}";

    /// <summary>Parses <c>key[:last|min|max]</c>.</summary>
    public static SummaryColumn Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon > 0 && Enum.TryParse<SummaryAggregate>(text[(colon + 1)..], ignoreCase: true, out var agg))
            return new(text[..colon], agg);
        return new(text, SummaryAggregate.Last);
    }

    /// <summary>The value of this column for <paramref name="run"/>, or null.</summary>
    public double? ValueOf(RunDto run) =>
        run.Summary.TryGetValue(Key, out var s)
            ? Aggregate switch
            {
                SummaryAggregate.Min => s.Min,
                SummaryAggregate.Max => s.Max,
                _ => s.Last,
            }
            : null;
}

/// <summary>The runs table's state and logic: the runs (kept current by live updates), filters, sort, chosen columns, selection.</summary>
public sealed class RunsTableModel
{
    private readonly Dictionary<string, RunDto> _runs = new(StringComparer.Ordinal);

    /// <summary>Only runs in this state.</summary>
    public RunState? State { get; set; }

    /// <summary>Only runs with this tag.</summary>
    public string? Tag { get; set; }

    /// <summary>Only runs of this group.</summary>
    public string? Group { get; set; }

    private static readonly string[] DefaultColumnKeys = ["val_loss", "loss"];

    /// <summary>With no column chosen, shows the loss runs are judged by (the smallest <c>val_loss</c>, else the smallest
    /// <c>loss</c>), so a sweep's best run is one click away (sort by it).</summary>
    public void AddDefaultColumns()
    {
        if (Columns.Count > 0)
            return;
        var keys = MetricKeys;
        if (DefaultColumnKeys.FirstOrDefault(k => keys.Contains(k, StringComparer.Ordinal)) is { } key)
            Columns.Add(new SummaryColumn(key, SummaryAggregate.Min));
    }

    /// <summary>Name contains (case-insensitive).</summary>
    public string? Search { get; set; }

    /// <summary>Only runs whose latest verdict has this learning-curve label (e.g. <c>overfitting</c>).</summary>
    public string? Pattern { get; set; }

    /// <summary>Only runs whose <see cref="MetricFilterColumn"/> value is at most <see cref="MetricMax"/> / at least <see cref="MetricMin"/>.</summary>
    public SummaryColumn? MetricFilterColumn { get; set; }

    /// <summary>Lower bound of the metric filter.</summary>
    public double? MetricMin { get; set; }

    /// <summary>Upper bound of the metric filter.</summary>
    public double? MetricMax { get; set; }

    /// <summary>Sort column: <c>name</c>, <c>state</c>, <c>group</c>, <c>created</c>, <c>duration</c> or a summary column (<c>key:last</c>).</summary>
    public string Sort { get; set; } = "created";

    /// <summary>Descending sort.</summary>
    public bool Descending { get; set; } = true;

    /// <summary>Summary columns shown.</summary>
    public List<SummaryColumn> Columns { get; } = [];

    /// <summary>Selected run ids (for compare).</summary>
    public HashSet<string> Selected { get; } = new(StringComparer.Ordinal);

    /// <summary>Every run held.</summary>
    public int Count => _runs.Count;

    /// <summary>All runs held, unfiltered.</summary>
    public IEnumerable<RunDto> All => _runs.Values;

    /// <summary>Every metric key seen in the runs' summaries.</summary>
    public IReadOnlyList<string> MetricKeys => [.. _runs.Values.SelectMany(r => r.Summary.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Every tag and group seen.</summary>
    public IReadOnlyList<string> Tags => [.. _runs.Values.SelectMany(r => r.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <inheritdoc cref="Tags"/>
    public IReadOnlyList<string> Groups =>
        [.. _runs.Values.Select(r => r.Group).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Each learning-curve label among the runs' verdicts with its number of runs, most frequent first (a sweep's
    /// triage at a glance).</summary>
    public IReadOnlyList<(string Label, int Runs)> PatternCounts =>
        [
            .. _runs
                .Values.Select(r => r.Verdict?.Label)
                .OfType<string>()
                .GroupBy(l => l, StringComparer.Ordinal)
                .Select(g => (g.Key, g.Count()))
                .OrderByDescending(c => c.Item2)
                .ThenBy(c => c.Key, StringComparer.Ordinal),
        ];

    /// <summary>Adds or replaces runs.</summary>
    public void Upsert(IEnumerable<RunDto> runs)
    {
        foreach (var r in runs)
            _runs[r.Id] = r;
    }

    /// <summary>Removes a run.</summary>
    public void Remove(string runId)
    {
        _runs.Remove(runId);
        Selected.Remove(runId);
    }

    /// <summary>Whether the run is held.</summary>
    public bool Contains(string runId) => _runs.ContainsKey(runId);

    /// <summary>Applies a live summary delta; false when the run is unknown (the caller loads it).</summary>
    public bool Apply(LiveRunSummary delta, DateTimeOffset now)
    {
        if (!_runs.TryGetValue(delta.RunId, out var run))
            return false;
        var summary = new Dictionary<string, SeriesSummaryDto>(run.Summary, StringComparer.Ordinal);
        foreach (var (key, d) in delta.Series)
        {
            summary[key] = summary.TryGetValue(key, out var s)
                ? new SeriesSummaryDto(
                    s.Count + d.Count,
                    Math.Min(s.FirstStep, d.LastStep),
                    Math.Max(s.LastStep, d.LastStep),
                    d.LastStep >= s.LastStep ? d.Last : s.Last,
                    Min(s.Min, d.Min),
                    Max(s.Max, d.Max),
                    d.Min is { } mn && (s.Min is null || mn < s.Min) ? d.LastStep : s.MinStep,
                    d.Max is { } mx && (s.Max is null || mx > s.Max) ? d.LastStep : s.MaxStep,
                    Math.Max(s.LastTime, d.LastTime)
                )
                : new SeriesSummaryDto(d.Count, d.LastStep, d.LastStep, d.Last, d.Min, d.Max, d.LastStep, d.LastStep, d.LastTime);
        }
        _runs[run.Id] = run with { Summary = summary, UpdatedAt = now, HeartbeatAt = now };
        return true;
    }

    /// <summary>Applies a live state change; false when the run is unknown.</summary>
    public bool Apply(LiveRunState change)
    {
        if (!_runs.TryGetValue(change.RunId, out var run))
            return false;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(change.Time);
        _runs[run.Id] = run with { State = change.To, UpdatedAt = at, EndedAt = change.To == RunState.Running ? null : at };
        return true;
    }

    /// <summary>The runs that pass the filters, sorted (a new list).</summary>
    public List<RunDto> View(DateTimeOffset now)
    {
        IEnumerable<RunDto> q = _runs.Values;
        if (State is { } st)
            q = q.Where(r => r.State == st);
        if (!string.IsNullOrWhiteSpace(Tag))
            q = q.Where(r => r.Tags.Contains(Tag, StringComparer.Ordinal));
        if (!string.IsNullOrWhiteSpace(Group))
            q = q.Where(r => string.Equals(r.Group, Group, StringComparison.Ordinal));
        if (!string.IsNullOrWhiteSpace(Search))
            q = q.Where(r => r.Name.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase));
        if (!string.IsNullOrWhiteSpace(Pattern))
            q = q.Where(r => string.Equals(r.Verdict?.Label, Pattern, StringComparison.Ordinal));
        if (MetricFilterColumn is { } mc && (MetricMin is not null || MetricMax is not null))
        {
            q = q.Where(r => mc.ValueOf(r) is { } v && !double.IsNaN(v) && (MetricMin is null || v >= MetricMin) && (MetricMax is null || v <= MetricMax));
        }
        return Sorted(q, now);
    }

    private List<RunDto> Sorted(IEnumerable<RunDto> runs, DateTimeOffset now)
    {
        var list = runs.ToList();
        var compare = Sort switch
        {
            "name" => (a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase),
            "state" => (a, b) => a.State.CompareTo(b.State),
            "group" => (a, b) => string.Compare(a.Group, b.Group, StringComparison.Ordinal),
            "duration" => (a, b) => Duration(a, now).CompareTo(Duration(b, now)),
            "created" => (a, b) => a.CreatedAt.CompareTo(b.CreatedAt),
            _ => SummaryComparison(SummaryColumn.Parse(Sort)),
        };
        var sign = Descending ? -1 : 1;
        if (Sort is "name" or "state" or "group" or "duration" or "created")
        {
            list.Sort((a, b) => sign * compare(a, b) is var c && c != 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        }
        else
        {
            list.Sort((a, b) => compare(a, b) is var c && c != 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        }
        return list;
    }

    /// <summary>Runs without the value (or NaN) sort last in both orders, as the API's summary sort does.</summary>
    private Comparison<RunDto> SummaryComparison(SummaryColumn column) =>
        (a, b) =>
        {
            var va = column.ValueOf(a) is { } x && !double.IsNaN(x) ? x : (double?)null;
            var vb = column.ValueOf(b) is { } y && !double.IsNaN(y) ? y : (double?)null;
            if (va is null)
                return vb is null ? 0 : 1;
            if (vb is null)
                return -1;
            return Descending ? vb.Value.CompareTo(va.Value) : va.Value.CompareTo(vb.Value);
        };

    private static TimeSpan Duration(RunDto r, DateTimeOffset now) => Format.RunDuration(r, now);

    private static double? Min(double? a, double? b) =>
        a is null ? b
        : b is null ? a
        : Math.Min(a.Value, b.Value);

    private static double? Max(double? a, double? b) =>
        a is null ? b
        : b is null ? a
        : Math.Max(a.Value, b.Value);
}
