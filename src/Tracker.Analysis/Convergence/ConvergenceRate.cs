namespace Tracker.Analysis.Convergence;

/// <summary>A convergence-rate verdict: its class, the fitted constants and a confidence in [0, 1].</summary>
/// <param name="Class">The rate class.</param>
/// <param name="Constants">Fitted constants: p and A (sublinear), c (linear, per step), order and ratio (superlinear), order and M (quadratic), and f_star, the optimum used.</param>
/// <param name="Confidence">How well the chosen model fits and how clearly it beats the others, in [0, 1].</param>
public sealed record ConvergenceRate(ConvergenceRateClass Class, IReadOnlyDictionary<string, double> Constants, double Confidence)
{
    /// <summary>The verdict before enough data.</summary>
    public static ConvergenceRate Unknown { get; } = new(ConvergenceRateClass.Unknown, new Dictionary<string, double>(), 0);

    /// <summary>The class as the snake_case word used by the API.</summary>
    public string ClassName =>
        Class switch
        {
            ConvergenceRateClass.Sublinear => "sublinear",
            ConvergenceRateClass.Linear => "linear",
            ConvergenceRateClass.Superlinear => "superlinear",
            ConvergenceRateClass.Quadratic => "quadratic",
            _ => "unknown",
        };
}
