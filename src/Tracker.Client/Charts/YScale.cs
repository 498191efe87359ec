namespace Tracker.Client.Charts;

/// <summary>The y axis scale the page's "log y" control asks for.</summary>
public enum YScale
{
    /// <summary>Not set by the user: linear, and logarithmic on a chart whose values span more than three decades.</summary>
    Auto,

    /// <summary>Linear on every chart (the user unchecked "log y").</summary>
    Linear,

    /// <summary>Logarithmic on every chart (the user checked "log y").</summary>
    Log,
}
