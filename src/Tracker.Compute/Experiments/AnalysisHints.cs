using Tracker.Analysis.Convergence;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Experiments;

/// <summary>What the analyzers can know about a hosted experiment before it runs: the optimum f* where the problem knows it, and the number of classes K of a classification loss (chance level ln K).</summary>
/// <param name="OptimalLoss">f* of the training objective (<c>tracker.analysis.optimal_loss</c>), or null.</param>
/// <param name="NumClasses">K for a cross-entropy loss (<c>tracker.analysis.num_classes</c>), or null.</param>
public sealed record AnalysisHints(double? OptimalLoss, int? NumClasses)
{
    /// <summary>The hints for <paramref name="spec"/> (none for an invalid spec).</summary>
    public static AnalysisHints For(ExperimentSpec spec) => ExperimentProblems.AnalysisHints(spec);

    /// <summary><paramref name="options"/> with the hints filled in where the options leave them unset.</summary>
    public RunAnalyzerOptions ApplyTo(RunAnalyzerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with { OptimalLoss = options.OptimalLoss ?? OptimalLoss, NumClasses = options.NumClasses ?? NumClasses };
    }
}
