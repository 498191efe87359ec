namespace Tracker.Compute.Classic;

/// <summary>A fitted Gaussian mixture with its EM trace.</summary>
/// <param name="Weights">Mixing weights (k).</param>
/// <param name="Means">k×d row-major means.</param>
/// <param name="Covariances">k×d×d full covariances (reg_covar included).</param>
/// <param name="LogLikelihoodHistory">Mean log-likelihood per sample of the parameters after each M-step, first after the initial one; the last entry belongs to the returned parameters.</param>
/// <param name="Converged">Whether the change fell below tol before max_iter.</param>
/// <param name="Iterations">EM iterations (E-step + M-step pairs) run.</param>
internal sealed record GaussianMixtureResult(
    double[] Weights,
    double[] Means,
    double[] Covariances,
    IReadOnlyList<double> LogLikelihoodHistory,
    bool Converged,
    int Iterations
)
{
    /// <summary>Mean log-likelihood per sample of the returned parameters (scikit-learn's <c>score</c>).</summary>
    public double LogLikelihood => LogLikelihoodHistory[^1];
}
