namespace Tracker.Analysis.Convergence;

/// <summary>A learning-curve verdict: the pattern, a confidence in [0, 1], the numbers it used and what to do.</summary>
/// <param name="Pattern">The pattern.</param>
/// <param name="Confidence">Confidence in [0, 1].</param>
/// <param name="Evidence">The named numbers the rules used (e.g. relative_drop, val_rise).</param>
public sealed record PatternVerdict(CurvePattern Pattern, double Confidence, IReadOnlyDictionary<string, double> Evidence)
{
    /// <summary>The snake_case label, e.g. <c>healthy_convergence</c>.</summary>
    public string Label => LabelOf(Pattern);

    /// <summary>The recommended action in plain words.</summary>
    public string Action => ActionOf(Pattern);

    /// <summary>The snake_case label of a pattern.</summary>
    public static string LabelOf(CurvePattern pattern) =>
        pattern switch
        {
            CurvePattern.HealthyConvergence => "healthy_convergence",
            CurvePattern.Overfitting => "overfitting",
            CurvePattern.Underfitting => "underfitting",
            CurvePattern.Oscillating => "oscillating",
            CurvePattern.SlowProgress => "slow_progress",
            CurvePattern.Diverging => "diverging",
            CurvePattern.StillImproving => "still_improving",
            _ => "insufficient_data",
        };

    /// <summary>The recommended action for a pattern.</summary>
    public static string ActionOf(CurvePattern pattern) =>
        pattern switch
        {
            CurvePattern.HealthyConvergence => "training can be stopped",
            CurvePattern.Overfitting => "regularize or stop early",
            CurvePattern.Underfitting => "more capacity or train longer",
            CurvePattern.Oscillating => "reduce the learning rate (or clip gradients)",
            CurvePattern.SlowProgress => "raise the learning rate or re-initialize",
            CurvePattern.Diverging => "lower the learning rate, clip gradients, check initialization",
            CurvePattern.StillImproving => "keep training",
            _ => "wait for more data",
        };
}
