namespace Tracker.Client.Components;

/// <summary>What a badge's colour means.</summary>
public enum BadgeTone
{
    /// <summary>Grey: no judgement.</summary>
    Neutral,

    /// <summary>Blue: in progress or selected.</summary>
    Accent,

    /// <summary>Green: went well.</summary>
    Success,

    /// <summary>Amber: needs a look.</summary>
    Warning,

    /// <summary>Red: went wrong.</summary>
    Danger,

    /// <summary>A label such as a tag.</summary>
    Tag,
}
