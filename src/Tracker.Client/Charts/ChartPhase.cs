namespace Tracker.Client.Charts;

/// <summary>Where a chart's history stands.</summary>
internal enum ChartPhase
{
    /// <summary>Not near the viewport yet: nothing asked for.</summary>
    Waiting,

    /// <summary>Its history is being read (the first time, or again after the traces changed).</summary>
    Loading,

    /// <summary>The history of its current traces is held.</summary>
    Loaded,
}
