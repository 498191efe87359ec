using Tracker.Client.Components;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Components;

public sealed class RunsTableModelTests
{
    private static RunsTableModel Model()
    {
        var m = new RunsTableModel();
        m.Upsert([
            Runs.Make("a", "adam-lr1", RunState.Running, group: "sweep", tags: ["adam"], createdMinute: 1, valLoss: 0.5, acc: 0.8),
            Runs.Make("b", "sgd-lr1", RunState.Finished, group: "sweep", tags: ["sgd"], createdMinute: 2, valLoss: 0.3),
            Runs.Make("c", "adam-lr2", RunState.Crashed, tags: ["adam", "big"], createdMinute: 3, acc: 0.9),
            Runs.Make("d", "rmsprop", RunState.Finished, createdMinute: 4, valLoss: double.NaN),
        ]);
        return m;
    }

    private static string[] Ids(IEnumerable<RunDto> runs) => [.. runs.Select(r => r.Id)];

    [Fact]
    public void Default_order_is_newest_first()
    {
        Assert.Equal(["d", "c", "b", "a"], Ids(Model().View(Runs.T0)));
    }

    [Fact]
    public void Filters_by_state_tag_group_and_name_combine()
    {
        var m = Model();
        m.Tag = "adam";
        Assert.Equal(["c", "a"], Ids(m.View(Runs.T0)));
        m.State = RunState.Running;
        Assert.Equal(["a"], Ids(m.View(Runs.T0)));
        m.State = null;
        m.Tag = null;
        m.Group = "sweep";
        m.Search = "SGD";
        Assert.Equal(["b"], Ids(m.View(Runs.T0)));
    }

    [Fact]
    public void Summary_sort_puts_runs_without_the_value_last_in_both_orders()
    {
        var m = Model();
        m.Sort = "val_loss:last";
        m.Descending = false;
        Assert.Equal(["b", "a", "c", "d"], Ids(m.View(Runs.T0)));
        m.Descending = true;
        Assert.Equal(["a", "b", "c", "d"], Ids(m.View(Runs.T0)));
        m.Sort = "acc:max";
        Assert.Equal(["c", "a", "b", "d"], Ids(m.View(Runs.T0)));
    }

    [Fact]
    public void Metric_filter_keeps_runs_in_range()
    {
        var m = Model();
        m.MetricFilterColumn = SummaryColumn.Parse("val_loss:last");
        m.MetricMax = 0.4;
        Assert.Equal(["b"], Ids(m.View(Runs.T0)));
        m.MetricMax = null;
        m.MetricMin = 0.4;
        Assert.Equal(["a"], Ids(m.View(Runs.T0)));
    }

    [Fact]
    public void Sort_by_name_and_state()
    {
        var m = Model();
        m.Sort = "name";
        m.Descending = false;
        Assert.Equal(["a", "c", "d", "b"], Ids(m.View(Runs.T0)));
        m.Sort = "state";
        Assert.Equal(["a", "b", "d", "c"], Ids(m.View(Runs.T0)));
    }

    [Fact]
    public void Live_summary_delta_updates_last_min_max_and_unknown_runs_are_reported()
    {
        var m = Model();
        var delta = new LiveRunSummary(
            "a",
            "p",
            new Dictionary<string, LiveSeriesDelta> { ["val_loss"] = new(0.1, 20, 0.05, 0.2, 3, 99), ["new_metric"] = new(7, 20, 7, 7, 1, 99) }
        );
        Assert.True(m.Apply(delta, Runs.T0));
        var a = m.All.Single(r => r.Id == "a");
        Assert.Equal(0.1, a.Summary["val_loss"].Last);
        Assert.Equal(0.05, a.Summary["val_loss"].Min);
        Assert.Equal(13, a.Summary["val_loss"].Count);
        Assert.Equal(7, a.Summary["new_metric"].Last);
        Assert.False(m.Apply(delta with { RunId = "zzz" }, Runs.T0));
    }

    [Fact]
    public void Live_state_change_ends_a_running_run()
    {
        var m = Model();
        Assert.True(m.Apply(new LiveRunState("a", "p", RunState.Running, RunState.Finished, Runs.T0.AddHours(1).ToUnixTimeMilliseconds())));
        var a = m.All.Single(r => r.Id == "a");
        Assert.Equal(RunState.Finished, a.State);
        Assert.Equal(Runs.T0.AddHours(1), a.EndedAt);
    }

    [Fact]
    public void Summary_column_parses_its_url_form()
    {
        Assert.Equal(new SummaryColumn("val/acc", SummaryAggregate.Max), SummaryColumn.Parse("val/acc:max"));
        Assert.Equal(new SummaryColumn("loss", SummaryAggregate.Last), SummaryColumn.Parse("loss"));
        Assert.Equal("loss:min", new SummaryColumn("loss", SummaryAggregate.Min).ToString());
    }
}
