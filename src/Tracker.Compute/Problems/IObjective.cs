namespace Tracker.Compute.Problems;

/// <summary>A differentiable objective over a flat parameter vector.</summary>
public interface IObjective
{
    /// <summary>Number of parameters.</summary>
    int Dimension { get; }

    /// <summary>Returns f(x) and writes ∇f(x) into <paramref name="gradient"/> (on the current mini-batch for stochastic problems).</summary>
    double Evaluate(ReadOnlySpan<double> x, Span<double> gradient);
}
