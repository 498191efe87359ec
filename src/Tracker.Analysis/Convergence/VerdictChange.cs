namespace Tracker.Analysis.Convergence;

/// <summary>A verdict that changed between two snapshots: what the server stores as a run event.</summary>
/// <param name="Kind">pattern, advice, criterion, gradients or failure.</param>
/// <param name="From">The previous value.</param>
/// <param name="To">The new value.</param>
/// <param name="Message">A plain-words description.</param>
/// <param name="Step">The run's step when the change was seen.</param>
public sealed record VerdictChange(string Kind, string From, string To, string Message, long? Step);
