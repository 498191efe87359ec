namespace Tracker.Client.Components;

/// <summary>How a verdict reads at a glance; always shown with words, never by colour alone.</summary>
public enum VerdictTone
{
    /// <summary>No judgement yet (no analysis, not enough data, an unknown label).</summary>
    Neutral,

    /// <summary>Training is going well.</summary>
    Good,

    /// <summary>Something to look at: overfitting, underfitting, oscillating, slow progress.</summary>
    Attention,

    /// <summary>Training is failing (diverging).</summary>
    Problem,
}
