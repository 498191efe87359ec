namespace Tracker.Analysis.Convergence;

/// <summary>Absolute levels that give the learning-curve classifier a sense of how good a loss is, each optional.</summary>
/// <param name="OptimalLoss">The optimal loss f* when known (hosted problems with a closed form).</param>
/// <param name="NumClasses">The number of classes K of a cross-entropy loss: its chance level is ln K.</param>
/// <param name="StoppingThreshold">The user's target loss (<c>stopping_threshold</c>).</param>
/// <param name="SiblingBest">The lowest loss that another run of the same group (or project) reached.</param>
public sealed record CurveReference(double? OptimalLoss = null, int? NumClasses = null, double? StoppingThreshold = null, double? SiblingBest = null)
{
    /// <summary>The level known to be reachable: the optimal loss, else the best sibling's, else the stopping threshold (null when none).</summary>
    public double? Floor => OptimalLoss ?? SiblingBest ?? StoppingThreshold;

    /// <summary>No reference: the drop is read relative to the loss's own level.</summary>
    public static CurveReference None { get; } = new();
}
