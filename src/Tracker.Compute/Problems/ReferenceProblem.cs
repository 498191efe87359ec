namespace Tracker.Compute.Problems;

/// <summary>A reference optimization problem: objective, starting point, optional validation data and mini-batches.</summary>
public abstract class ReferenceProblem : IObjective
{
    /// <inheritdoc />
    public abstract int Dimension { get; }

    /// <summary>Named parameter blocks (layers); one block covering everything by default.</summary>
    public virtual IReadOnlyList<ParameterBlock> Blocks => [new ParameterBlock("all", 0, Dimension)];

    /// <summary>Contiguous per-layer slices for <c>grad_norm/&lt;layer&gt;</c> (empty when the problem has no layers).</summary>
    public virtual IReadOnlyList<ParameterBlock> Layers => [];

    /// <summary>Whether the problem is a classifier (logs <c>val_accuracy</c>).</summary>
    public virtual bool IsClassifier => false;

    /// <summary>Whether <see cref="Evaluate"/> works on a mini-batch (or a noisy gradient) rather than the full objective.</summary>
    public virtual bool IsStochastic => false;

    /// <summary>Whether the problem has held-out data for <see cref="ValidationLoss"/>.</summary>
    public virtual bool HasValidation => false;

    /// <summary>Writes the problem's starting point (problems with weight matrices use <paramref name="rng"/>).</summary>
    public abstract void InitialPoint(Span<double> x, Random rng);

    /// <inheritdoc />
    public abstract double Evaluate(ReadOnlySpan<double> x, Span<double> gradient);

    /// <summary>The full (training) objective at <paramref name="x"/>, with no side effect on batches.</summary>
    public abstract double Loss(ReadOnlySpan<double> x);

    /// <summary>The objective on the validation data.</summary>
    public virtual double ValidationLoss(ReadOnlySpan<double> x) => double.NaN;

    /// <summary>Fraction of validation rows classified correctly (NaN for non-classifiers).</summary>
    public virtual double ValidationAccuracy(ReadOnlySpan<double> x) => double.NaN;

    /// <summary>Number of training rows that <see cref="UseRows"/> indexes (0 for problems without data).</summary>
    public virtual int TrainingRows => 0;

    /// <summary>Makes <see cref="Evaluate"/> use exactly these training rows (a worker's shard); on a full-batch problem only all rows are allowed.</summary>
    public virtual void UseRows(ReadOnlySpan<int> rows) => throw new NotSupportedException("This problem has no training rows.");

    /// <summary>The minimum f* of the training objective when it is known in closed form (null otherwise).</summary>
    public virtual double? OptimalLoss => null;

    /// <summary>‖x − x*‖ to the nearest minimizer x* when the minimizers are known (NaN otherwise).</summary>
    public virtual double DistanceToOptimum(ReadOnlySpan<double> x) => double.NaN;

    /// <summary>Projects <paramref name="x"/> back onto the feasible set after each step (constrained problems; no-op by default).</summary>
    public virtual void Project(Span<double> x) { }

    /// <summary>Moves to the next mini-batch (no-op for deterministic problems).</summary>
    public virtual void NextBatch(Random rng) { }
}
