using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Components;

/// <summary>The runs of a project as a table: filters, sortable headers, user-chosen summary columns, selection.</summary>
public sealed partial class RunsTable : ComponentBase
{
    private List<RunDto> _view = [];
    private string _newColumnKey = "";
    private SummaryAggregate _newColumnAggregate = SummaryAggregate.Last;

    /// <summary>The table's state.</summary>
    [Parameter, EditorRequired]
    public required RunsTableModel Model { get; set; }

    /// <summary>Raised when filters, sort, columns or selection change.</summary>
    [Parameter]
    public EventCallback OnChanged { get; set; }

    private string StateText
    {
        get => Model.State?.ToString() ?? "";
        set => Model.State = Enum.TryParse<RunState>(value, out var s) ? s : null;
    }

    private string MetricFilterText
    {
        get => Model.MetricFilterColumn?.ToString() ?? "";
        set => Model.MetricFilterColumn = string.IsNullOrEmpty(value) ? null : SummaryColumn.Parse(value);
    }

    /// <summary>The "pattern / advice" cell: the run's learning-curve label, and the advice when it says stop.</summary>
    public static string PatternText(RunVerdictDto? verdict) =>
        verdict switch
        {
            null => "",
            { ShouldStop: true } => $"{verdict.Label} · stop: {verdict.Reason ?? "advised"}",
            _ => verdict.Label,
        };

    /// <summary>Recomputes the visible rows (after live updates).</summary>
    public void Refresh()
    {
        _view = Model.View(DateTimeOffset.UtcNow);
        StateHasChanged();
    }

    protected override void OnParametersSet() => _view = Model.View(DateTimeOffset.UtcNow);

    private Task Changed()
    {
        _view = Model.View(DateTimeOffset.UtcNow);
        return OnChanged.InvokeAsync();
    }

    private Task SortBy(string column)
    {
        if (Model.Sort == column)
            Model.Descending = !Model.Descending;
        else
            (Model.Sort, Model.Descending) = (column, column is "created" or "duration");
        return Changed();
    }

    private Task AddColumn()
    {
        var c = new SummaryColumn(_newColumnKey, _newColumnAggregate);
        if (!Model.Columns.Contains(c))
            Model.Columns.Add(c);
        _newColumnKey = "";
        return Changed();
    }

    private Task RemoveColumn(SummaryColumn c)
    {
        Model.Columns.Remove(c);
        if (Model.Sort == c.ToString())
            Model.Sort = "created";
        return Changed();
    }

    private Task Toggle(string runId, ChangeEventArgs e)
    {
        if (e.Value is true)
            Model.Selected.Add(runId);
        else
            Model.Selected.Remove(runId);
        return OnChanged.InvokeAsync();
    }

    private RenderFragment SortHeader(string column, string text) =>
        builder =>
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "class", "sort" + (Model.Sort == column ? " active" : ""));
            builder.AddAttribute(2, "data-sort", column);
            builder.AddAttribute(3, "onclick", EventCallback.Factory.Create(this, () => SortBy(column)));
            builder.AddContent(4, text + (Model.Sort == column ? (Model.Descending ? " ▼" : " ▲") : ""));
            builder.CloseElement();
        };
}
