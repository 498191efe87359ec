namespace Tracker.Compute.Problems;

/// <summary>
/// The online convex problem on which Adam fails to converge (Reddi, Kale &amp; Kumar 2018, "On the Convergence of Adam
/// and Beyond", §3): f_t(x) = C·x when t mod 3 = 1, else −x, on the feasible set x ∈ [−1, 1], with C &gt; 2.
/// </summary>
/// <remarks>
/// Step t (from 1) sees f_t's gradient; <see cref="Loss"/> is the average objective over a period,
/// F(x) = (C − 2)·x / 3, minimized at x* = −1 with F* = −(C − 2)/3. Adam with β₁ = 0 and β₂ = 1/(1 + C²) drifts to x = +1,
/// the worst point: the large gradient C arrives once in three steps and is forgotten before it comes again, so the two
/// small steps up outweigh the one step down. AMSGrad keeps the maximum of the second moment and converges to −1.
/// </remarks>
internal sealed class ReddiCounterexampleProblem(double c = 3, double start = 0) : ReferenceProblem
{
    private long _t;

    /// <summary>The large gradient C of every third step.</summary>
    public double C { get; } = c > 2 ? c : throw new ArgumentOutOfRangeException(nameof(c), "C must exceed 2.");

    /// <inheritdoc />
    public override int Dimension => 1;

    /// <summary>The gradient changes from step to step (an online problem).</summary>
    public override bool IsStochastic => true;

    /// <summary>F* = F(−1) = −(C − 2)/3.</summary>
    public override double? OptimalLoss => -(C - 2) / 3;

    /// <summary>|x + 1|: the minimizer is x* = −1.</summary>
    public override double DistanceToOptimum(ReadOnlySpan<double> x) => Math.Abs(x[0] + 1);

    /// <inheritdoc />
    public override void InitialPoint(Span<double> x, Random rng)
    {
        x[0] = Math.Clamp(start, -1, 1);
        _t = 0;
    }

    /// <summary>Advances to the next online round t.</summary>
    public override void NextBatch(Random rng) => _t++;

    /// <summary>f_t(x) and its gradient C (t mod 3 = 1) or −1.</summary>
    public override double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient[0] = _t % 3 == 1 ? C : -1;
        return gradient[0] * x[0];
    }

    /// <summary>The average objective over a period, F(x) = (C − 2)·x / 3.</summary>
    public override double Loss(ReadOnlySpan<double> x) => (C - 2) * x[0] / 3;

    /// <summary>Clamps x to [−1, 1].</summary>
    public override void Project(Span<double> x) => x[0] = Math.Clamp(x[0], -1, 1);
}
