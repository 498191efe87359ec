namespace Tracker.Compute.Problems;

/// <summary>An objective that also provides its Hessian (for Newton's method).</summary>
internal interface IHessianObjective : IObjective
{
    /// <summary>Writes the row-major Dimension×Dimension Hessian at <paramref name="x"/>.</summary>
    void Hessian(ReadOnlySpan<double> x, Span<double> hessian);
}
