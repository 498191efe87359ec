using System.Globalization;

namespace Tracker.Analysis.Convergence;

/// <summary>Everything the analyzers of one run say now, shaped for JSON (undefined numbers are null).</summary>
/// <param name="Pattern">The learning-curve verdict.</param>
/// <param name="Advice">The early-stopping advice.</param>
/// <param name="Criteria">The classic stopping criteria.</param>
/// <param name="Rate">The convergence-rate estimate of the training loss.</param>
/// <param name="Gradients">Gradient health.</param>
/// <param name="Failures">Failure-mode diagnoses seen so far (active or past).</param>
/// <param name="Points">Points observed.</param>
/// <param name="LastStep">The largest step observed (null before any point).</param>
public sealed record AnalysisSnapshot(
    PatternSnapshot Pattern,
    AdviceSnapshot Advice,
    IReadOnlyList<CriterionSnapshot> Criteria,
    RateSnapshot Rate,
    GradientSnapshot Gradients,
    IReadOnlyList<FailureSnapshot> Failures,
    long Points,
    long? LastStep
)
{
    /// <summary>The verdict changes from <paramref name="previous"/> (null: the empty state) to this snapshot, as events to store.</summary>
    public IReadOnlyList<VerdictChange> ChangesSince(AnalysisSnapshot? previous)
    {
        var changes = new List<VerdictChange>();
        var oldLabel = previous?.Pattern.Label ?? PatternVerdict.LabelOf(CurvePattern.InsufficientData);
        if (!string.Equals(oldLabel, Pattern.Label, StringComparison.Ordinal))
        {
            changes.Add(new VerdictChange("pattern", oldLabel, Pattern.Label, $"learning curve: {Pattern.Label} ({Pattern.Action})", LastStep));
        }

        var oldStop = previous?.Advice.ShouldStop ?? false;
        if (oldStop != Advice.ShouldStop)
        {
            changes.Add(new VerdictChange("advice", oldStop ? "stop" : "continue", Advice.ShouldStop ? "stop" : "continue", Advice.Reason, LastStep));
        }

        foreach (var criterion in Criteria)
        {
            var wasMet = previous?.Criteria.Any(c => c.Name == criterion.Name && c.Met) ?? false;
            if (criterion.Met && !wasMet)
            {
                var test =
                    criterion.Name == "validation_patience"
                        ? $"{F(criterion.Value)} evaluations without improvement (N = {F(criterion.Threshold)})"
                        : $"{F(criterion.Value)} < {F(criterion.Threshold)}";
                changes.Add(new VerdictChange("criterion", "not_met", "met", $"{criterion.Name} met on {criterion.Series}: {test}", LastStep));
            }
        }

        var oldGradients = previous?.Gradients.Status ?? "unknown";
        if (!string.Equals(oldGradients, Gradients.Status, StringComparison.Ordinal))
        {
            var layers = Gradients.AffectedLayers.Count > 0 ? $" in {string.Join(", ", Gradients.AffectedLayers)}" : string.Empty;
            changes.Add(new VerdictChange("gradients", oldGradients, Gradients.Status, $"gradients {Gradients.Status}{layers}", LastStep));
        }

        foreach (var failure in Failures)
        {
            var old = previous?.Failures.FirstOrDefault(f => f.Name == failure.Name);
            if (failure.Active && old is not { Active: true })
            {
                changes.Add(new VerdictChange("failure", "inactive", "active", $"{failure.Name}: {failure.Description}", failure.Step ?? LastStep));
            }
            else if (!failure.Active && old is { Active: true })
            {
                changes.Add(new VerdictChange("failure", "active", "inactive", $"{failure.Name} ended: {failure.Description}", failure.Step ?? LastStep));
            }
        }

        return changes;
    }

    private static string F(double? value) => value is double v ? v.ToString("G4", CultureInfo.InvariantCulture) : "n/a";
}
