namespace Tracker.Client.Charts;

/// <summary>The modes of one <see cref="MetricChart"/> as one state with named transitions: where its history stands
/// (<see cref="ChartPhase"/>), whether it is near the viewport, zoomed, whether its drawing lags behind its points (stale
/// while out of view, or a full drawing due after thinning) and whether a flush of live points is on its way.</summary>
/// <remarks>It replaces seven loose booleans; "seen" and "loaded" became <see cref="Phase"/>, since a chart loads only
/// once it has been near the viewport.</remarks>
internal sealed class ChartState
{
    /// <summary>Where the chart's history stands.</summary>
    public ChartPhase Phase { get; private set; }

    /// <summary>Near the viewport now (within the observer's margin).</summary>
    public bool InView { get; private set; }

    /// <summary>The user zoomed to a step range (its points were read anew at full resolution).</summary>
    public bool Zoomed { get; private set; }

    /// <summary>The drawing misses changes made while out of view; it is drawn in full when it comes back.</summary>
    public bool Stale { get; private set; }

    /// <summary>A trace was thinned in place: the next flush draws every trace anew instead of extending them.</summary>
    public bool RedrawDue { get; private set; }

    /// <summary>A flush of buffered live points is scheduled.</summary>
    public bool FlushScheduled { get; private set; }

    /// <summary>The chart has been near the viewport once, so it has asked for its history.</summary>
    public bool HasAppeared => Phase != ChartPhase.Waiting;

    /// <summary>The history of the current traces is held.</summary>
    public bool IsLoaded => Phase == ChartPhase.Loaded;

    /// <summary>New live points go to the extend buffer (in view, and no full drawing due that would include them).</summary>
    public bool ExtendsLive => InView && !RedrawDue;

    /// <summary>The viewport observer's news; true the first time the chart comes near it (then its first load starts).</summary>
    public bool Seen(bool visible)
    {
        InView = visible;
        if (!visible || Phase != ChartPhase.Waiting)
            return false;
        Phase = ChartPhase.Loading;
        return true;
    }

    /// <summary>Back in view: true (and no longer stale) when a loaded chart must draw what it kept meanwhile.</summary>
    public bool TakeStale()
    {
        if (!Stale || Phase != ChartPhase.Loaded)
            return false;
        Stale = false;
        return true;
    }

    /// <summary>The traces changed: their history must be read again (a chart not seen yet keeps waiting).</summary>
    public void TracesChanged()
    {
        if (Phase == ChartPhase.Loaded)
            Phase = ChartPhase.Loading;
    }

    /// <summary>The history of the current traces arrived.</summary>
    public void HistoryLoaded() => Phase = ChartPhase.Loaded;

    /// <summary>Something changed while out of view.</summary>
    public void MarkStale() => Stale = true;

    /// <summary>A trace was thinned in place.</summary>
    public void Thinned() => RedrawDue = true;

    /// <summary>Every trace was drawn anew: nothing lags behind.</summary>
    public void Redrawn()
    {
        RedrawDue = false;
        Stale = false;
    }

    /// <summary>Schedules a flush when none is and there is something to flush on a drawn chart; true when it did.</summary>
    public bool TryScheduleFlush(bool rendered, int pending)
    {
        if (FlushScheduled || !rendered || (pending == 0 && !RedrawDue))
            return false;
        FlushScheduled = true;
        return true;
    }

    /// <summary>The scheduled flush ran, or gave up.</summary>
    public void FlushRan() => FlushScheduled = false;

    /// <summary>The user zoomed; true when the chart was not zoomed before (the reset button appears).</summary>
    public bool ZoomIn()
    {
        if (Zoomed)
            return false;
        Zoomed = true;
        return true;
    }

    /// <summary>The user went back to the whole range.</summary>
    public void ZoomReset() => Zoomed = false;
}
