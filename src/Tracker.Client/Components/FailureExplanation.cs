namespace Tracker.Client.Components;

/// <summary>An active failure mode in plain words.</summary>
/// <param name="Name">The diagnosis' name as the API sends it, e.g. <c>saddle_point_stall</c>.</param>
/// <param name="Title">A short title, e.g. <c>Saddle-point stall</c>.</param>
/// <param name="Meaning">What the failure mode is, in general (null for names this client does not know).</param>
/// <param name="Seen">What the analyzer saw in this run (from the description).</param>
/// <param name="Fix">The suggested fix (from the description), or null when it names none.</param>
/// <param name="Step">The step at which it was detected, or null.</param>
public sealed record FailureExplanation(string Name, string Title, string? Meaning, string Seen, string? Fix, long? Step);
