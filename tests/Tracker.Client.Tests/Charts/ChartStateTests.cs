using Tracker.Client.Charts;

namespace Tracker.Client.Tests.Charts;

/// <summary>The transitions of a chart's state, as <see cref="MetricChart"/> drives them.</summary>
public sealed class ChartStateTests
{
    [Fact]
    public void A_chart_waits_until_it_first_comes_near_the_viewport_and_starts_loading_only_once()
    {
        var state = new ChartState();
        Assert.Equal(ChartPhase.Waiting, state.Phase);
        Assert.False(state.Seen(false));
        Assert.False(state.HasAppeared);

        Assert.True(state.Seen(true));
        Assert.Equal(ChartPhase.Loading, state.Phase);
        Assert.True(state.InView);
        Assert.False(state.Seen(false));
        Assert.False(state.InView);
        Assert.False(state.Seen(true));

        state.HistoryLoaded();
        Assert.True(state.IsLoaded);
    }

    [Fact]
    public void New_traces_load_again_but_a_chart_not_yet_seen_keeps_waiting()
    {
        var waiting = new ChartState();
        waiting.TracesChanged();
        Assert.Equal(ChartPhase.Waiting, waiting.Phase);

        var loaded = new ChartState();
        loaded.Seen(true);
        loaded.HistoryLoaded();
        loaded.TracesChanged();
        Assert.Equal(ChartPhase.Loading, loaded.Phase);
        Assert.True(loaded.HasAppeared);
    }

    [Fact]
    public void A_stale_chart_draws_in_full_once_when_it_is_back_in_view_and_loaded()
    {
        var state = new ChartState();
        state.Seen(true);
        state.Seen(false);
        state.MarkStale();
        Assert.False(state.TakeStale()); // still loading: its load draws it
        state.HistoryLoaded();
        state.Seen(true);
        Assert.True(state.TakeStale());
        Assert.False(state.Stale);
        Assert.False(state.TakeStale());
    }

    [Fact]
    public void Thinning_stops_extending_until_a_full_drawing_and_lets_a_flush_start_with_nothing_buffered()
    {
        var state = new ChartState();
        state.Seen(true);
        state.HistoryLoaded();
        Assert.True(state.ExtendsLive);
        Assert.False(state.TryScheduleFlush(rendered: true, pending: 0));

        state.Thinned();
        Assert.False(state.ExtendsLive);
        Assert.False(state.TryScheduleFlush(rendered: false, pending: 0)); // never before the first drawing
        Assert.True(state.TryScheduleFlush(rendered: true, pending: 0));
        Assert.False(state.TryScheduleFlush(rendered: true, pending: 5)); // one flush at a time
        state.FlushRan();

        state.MarkStale();
        state.Redrawn();
        Assert.False(state.RedrawDue);
        Assert.False(state.Stale);
        Assert.True(state.ExtendsLive);
        Assert.True(state.TryScheduleFlush(rendered: true, pending: 5));
    }

    [Fact]
    public void Zoom_shows_its_reset_once_and_resets()
    {
        var state = new ChartState();
        Assert.True(state.ZoomIn());
        Assert.False(state.ZoomIn());
        Assert.True(state.Zoomed);
        state.ZoomReset();
        Assert.False(state.Zoomed);
    }
}
