using Bunit;
using Tracker.Client.Components;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Components;

public sealed class RunsTableTests : BunitContext
{
    private RunsTableModel Model()
    {
        var m = new RunsTableModel();
        m.Upsert([
            Runs.Make("a", "alpha", RunState.Running, createdMinute: 1, valLoss: 0.5),
            Runs.Make("b", "<script>window.__pwned=1</script>", RunState.Finished, createdMinute: 2, valLoss: 0.3),
            Runs.Make("c", "gamma", RunState.Failed, createdMinute: 3),
        ]);
        m.Columns.Add(SummaryColumn.Parse("val_loss:last"));
        return m;
    }

    private static string[] RowIds(IRenderedComponent<RunsTable> cut) => [.. cut.FindAll("tbody tr[data-run]").Select(r => r.GetAttribute("data-run")!)];

    [Fact]
    public void Clicking_a_header_sorts_and_clicking_again_reverses()
    {
        var cut = Render<RunsTable>(p => p.Add(x => x.Model, Model()));
        Assert.Equal(["c", "b", "a"], RowIds(cut));
        cut.Find("button[data-sort='val_loss:last']").Click();
        Assert.Equal(["b", "a", "c"], RowIds(cut));
        cut.Find("button[data-sort='val_loss:last']").Click();
        Assert.Equal(["a", "b", "c"], RowIds(cut));
    }

    [Fact]
    public void Typing_in_the_name_filter_narrows_the_rows()
    {
        var cut = Render<RunsTable>(p => p.Add(x => x.Model, Model()));
        cut.Find("#filter-name").Input("alp");
        Assert.Equal(["a"], RowIds(cut));
        cut.Find("#filter-state").Change("Failed");
        Assert.Empty(RowIds(cut));
    }

    [Fact]
    public void Running_runs_pulse_and_names_are_text_not_markup()
    {
        var cut = Render<RunsTable>(p => p.Add(x => x.Model, Model()));
        Assert.Single(cut.FindAll("span.state-running"));
        Assert.Empty(cut.FindAll("tbody script"));
        Assert.Contains("&lt;script&gt;", cut.Find("tr[data-run='b'] a.run-name").InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Selecting_runs_fills_the_selection()
    {
        var model = Model();
        var changed = 0;
        var cut = Render<RunsTable>(p => p.Add(x => x.Model, model).Add(x => x.OnChanged, () => changed++));
        cut.Find("tr[data-run='a'] input.select-run").Change(true);
        cut.Find("tr[data-run='c'] input.select-run").Change(true);
        Assert.Equal(["a", "c"], model.Selected.Order());
        Assert.Equal(2, changed);
    }

    [Fact]
    public void The_pattern_column_shows_each_runs_verdict_and_stop_advice()
    {
        var model = new RunsTableModel();
        model.Upsert([
            Runs.Make("a", "alpha", createdMinute: 1) with
            {
                Verdict = new RunVerdictDto("still_improving", 0.6, false, "keep going", 10),
            },
            Runs.Make("b", "beta", createdMinute: 2) with
            {
                Verdict = new RunVerdictDto("overfitting", 0.9, true, "val_loss did not improve for 5 evaluations; best 0.231 at step 1200", 1200),
            },
            Runs.Make("c", "gamma", createdMinute: 3),
        ]);
        var cut = Render<RunsTable>(p => p.Add(x => x.Model, model));

        Assert.Equal("still_improving", cut.Find("tr[data-run='a'] td.pattern").TextContent);
        Assert.Equal(
            "overfitting · stop: val_loss did not improve for 5 evaluations; best 0.231 at step 1200",
            cut.Find("tr[data-run='b'] td.pattern").TextContent
        );
        Assert.Equal("", cut.Find("tr[data-run='c'] td.pattern").TextContent);
    }

    [Fact]
    public void The_pattern_filter_counts_each_label_and_narrows_the_rows_to_one()
    {
        var model = new RunsTableModel();
        RunVerdictDto Verdict(string label) => new(label, 0.8, false, null, null);
        model.Upsert([
            Runs.Make("a", "a", createdMinute: 1) with
            {
                Verdict = Verdict("still_improving"),
            },
            Runs.Make("b", "b", createdMinute: 2) with
            {
                Verdict = Verdict("overfitting"),
            },
            Runs.Make("c", "c", createdMinute: 3) with
            {
                Verdict = Verdict("overfitting"),
            },
            Runs.Make("d", "d", createdMinute: 4),
        ]);
        var cut = Render<RunsTable>(p => p.Add(x => x.Model, model));

        Assert.Equal(["any pattern", "overfitting (2)", "still_improving (1)"], cut.FindAll("#filter-pattern option").Select(o => o.TextContent));
        cut.Find("#filter-pattern").Change("overfitting");
        Assert.Equal(["c", "b"], RowIds(cut));
        Assert.Equal("overfitting", model.Pattern);
    }
}
