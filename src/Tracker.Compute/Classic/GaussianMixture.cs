using System.Numerics.Tensors;
using Tracker.Compute.Compute;

namespace Tracker.Compute.Classic;

/// <summary>EM for a Gaussian mixture with full covariances (scikit-learn's <c>GaussianMixture</c> algorithm and defaults).</summary>
/// <remarks>
/// Each iteration is an E-step (responsibilities and the mean log-likelihood, via the Cholesky factor
/// of every covariance) then an M-step; <c>reg_covar</c> is added to each covariance's diagonal.
/// The log-likelihood must not decrease between iterations: that is checked, and a decrease beyond
/// rounding throws <see cref="InvalidOperationException"/>.
/// </remarks>
internal sealed class GaussianMixture(
    int components,
    double tol = 1e-3,
    double regCovar = 1e-6,
    int maxIter = 100,
    GaussianMixtureInit init = GaussianMixtureInit.KMeans
)
{
    private const double Log2Pi = 1.8378770664093453;

    /// <summary>Number of components k.</summary>
    public int Components { get; } = components;

    /// <summary>Runs EM on the rows×cols matrix <paramref name="x"/>; <paramref name="onIteration"/> sees (iteration, mean log-likelihood).
    /// <paramref name="cancellationToken"/> is checked per component and every 64 rows inside each step, so a cancel stops it promptly.</summary>
    public GaussianMixtureResult Fit(
        double[] x,
        int rows,
        int cols,
        Random rng,
        Action<int, double>? onIteration = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(Components, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, Components);
        int k = Components,
            d = cols;
        var resp = new double[rows * k];
        InitialResponsibilities(x, rows, cols, rng, resp, cancellationToken);
        var weights = new double[k];
        var means = new double[k * d];
        var covariances = new double[k * d * d];
        var factors = new double[k * d * d];
        var logDets = new double[k];
        var history = new List<double>();
        MStep(x, rows, d, resp, weights, means, covariances, cancellationToken);
        var converged = false;
        var iterations = 0;
        var previous = double.NegativeInfinity;
        for (var iter = 1; iter <= maxIter; iter++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ll = EStep(x, rows, d, weights, means, covariances, factors, logDets, resp, cancellationToken);
            Record(history, ll, iter, onIteration);
            iterations = iter;
            MStep(x, rows, d, resp, weights, means, covariances, cancellationToken);
            if (Math.Abs(ll - previous) < tol)
            {
                converged = true;
                break;
            }

            previous = ll;
        }

        // The log-likelihood of the parameters that are returned (after the last M-step).
        Record(history, EStep(x, rows, d, weights, means, covariances, factors, logDets, resp, cancellationToken), iterations + 1, onIteration);
        return new GaussianMixtureResult(weights, means, covariances, history, converged, iterations);
    }

    private static void Record(List<double> history, double ll, int iteration, Action<int, double>? onIteration)
    {
        if (history.Count > 0 && ll < history[^1] - (1e-9 * (1 + Math.Abs(ll))))
        {
            throw new InvalidOperationException($"EM log-likelihood decreased at iteration {iteration}: {history[^1]} → {ll}.");
        }

        history.Add(ll);
        onIteration?.Invoke(iteration, ll);
    }

    private void InitialResponsibilities(double[] x, int rows, int cols, Random rng, double[] resp, CancellationToken cancellationToken)
    {
        var k = Components;
        if (init == GaussianMixtureInit.Random)
        {
            for (var i = 0; i < rows; i++)
            {
                var row = resp.AsSpan(i * k, k);
                for (var c = 0; c < k; c++)
                {
                    row[c] = rng.NextDouble();
                }

                TensorPrimitives.Divide(row, TensorPrimitives.Sum<double>(row), row);
            }

            return;
        }

        // k-means++ seeding alone is k-means with no Lloyd iteration.
        var labels = new KMeans(k, nInit: 1, maxIter: init == GaussianMixtureInit.KMeans ? 300 : 0)
            .Fit(x, rows, cols, rng, cancellationToken: cancellationToken)
            .Labels;
        for (var i = 0; i < rows; i++)
        {
            resp[(i * k) + labels[i]] = 1;
        }
    }

    private void MStep(double[] x, int rows, int d, double[] resp, double[] weights, double[] means, double[] covariances, CancellationToken cancellationToken)
    {
        var k = Components;
        Array.Clear(means);
        Array.Clear(covariances);
        var diff = new double[d];
        for (var c = 0; c < k; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var nk = 10 * double.Epsilon;
            var mean = means.AsSpan(c * d, d);
            for (var i = 0; i < rows; i++)
            {
                var r = resp[(i * k) + c];
                nk += r;
                TensorPrimitives.MultiplyAdd(x.AsSpan(i * d, d), r, mean, mean);
            }

            TensorPrimitives.Divide(mean, nk, mean);
            var cov = covariances.AsSpan(c * d * d, d * d);
            for (var i = 0; i < rows; i++)
            {
                var r = resp[(i * k) + c];
                TensorPrimitives.Subtract(x.AsSpan(i * d, d), mean, diff);
                for (var a = 0; a < d; a++)
                {
                    TensorPrimitives.MultiplyAdd(diff, r * diff[a], cov.Slice(a * d, d), cov.Slice(a * d, d));
                }
            }

            TensorPrimitives.Divide(cov, nk, cov);
            for (var a = 0; a < d; a++)
            {
                cov[(a * d) + a] += regCovar;
            }

            weights[c] = nk / rows;
        }
    }

    /// <summary>Writes responsibilities for the current parameters and returns the mean log-likelihood per sample.</summary>
    private double EStep(
        double[] x,
        int rows,
        int d,
        double[] weights,
        double[] means,
        double[] covariances,
        double[] factors,
        double[] logDets,
        double[] resp,
        CancellationToken cancellationToken
    )
    {
        var k = Components;
        covariances.CopyTo(factors, 0);
        for (var c = 0; c < k; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var factor = factors.AsSpan(c * d * d, d * d);
            if (!Cholesky.TryFactor(factor, d, cancellationToken))
            {
                throw new InvalidOperationException($"Covariance of component {c} is not positive definite; increase reg_covar.");
            }

            logDets[c] = 0;
            for (var a = 0; a < d; a++)
            {
                logDets[c] += 2 * Math.Log(factor[(a * d) + a]);
            }
        }

        var y = new double[d];
        var total = 0.0;
        for (var i = 0; i < rows; i++)
        {
            if ((i & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var row = resp.AsSpan(i * k, k);
            for (var c = 0; c < k; c++)
            {
                // ‖L⁻¹(x − μ)‖² by forward substitution.
                TensorPrimitives.Subtract(x.AsSpan(i * d, d), means.AsSpan(c * d, d), y);
                var f = factors.AsSpan(c * d * d, d * d);
                for (var a = 0; a < d; a++)
                {
                    var s = y[a] - TensorPrimitives.Dot<double>(f.Slice(a * d, a), y.AsSpan(0, a));
                    y[a] = s / f[(a * d) + a];
                }

                row[c] = Math.Log(weights[c]) - (0.5 * ((d * Log2Pi) + logDets[c] + TensorPrimitives.SumOfSquares<double>(y)));
            }

            var max = TensorPrimitives.Max<double>(row);
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp(row, row);
            var sum = TensorPrimitives.Sum<double>(row);
            TensorPrimitives.Divide(row, sum, row);
            total += max + Math.Log(sum);
        }

        return total / rows;
    }
}
