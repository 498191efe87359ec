namespace Tracker.Sdk;

/// <summary>What <see cref="TrackerRun.StartAsync"/> does when <see cref="RunOptions.Id"/> names a run (W&amp;B's <c>resume</c>).</summary>
public enum ResumeMode
{
    /// <summary>Start a new run; fail when a run with this id already exists.</summary>
    Never,

    /// <summary>Resume the run with this id when it exists, else start a new one with that id.</summary>
    Allow,

    /// <summary>Resume the run with this id; fail when it does not exist.</summary>
    Must,
}
