namespace Tracker.Analysis.Convergence;

/// <summary>The convergence-rate estimate in the API's shape.</summary>
/// <param name="Class">sublinear, linear, superlinear, quadratic or unknown.</param>
/// <param name="Constants">The fitted constants (p, c, order, M, ratio, A, f_star).</param>
/// <param name="Confidence">Confidence in [0, 1].</param>
public sealed record RateSnapshot(string Class, IReadOnlyDictionary<string, double> Constants, double Confidence);
