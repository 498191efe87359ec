namespace Tracker.Client.Charts;

/// <summary>Line colours (Tableau 10, as W&amp;B and TensorBoard use).</summary>
public static class Palette
{
    /// <summary>The colours, in order.</summary>
    public static readonly string[] Colors = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
}
