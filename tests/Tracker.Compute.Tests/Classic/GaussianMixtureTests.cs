using Tracker.Compute.Classic;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Tests.Classic;

public sealed class GaussianMixtureTests
{
    [Theory]
    [InlineData(GaussianMixtureInit.KMeans, 0)]
    [InlineData(GaussianMixtureInit.KMeansPlusPlus, 1)]
    [InlineData(GaussianMixtureInit.Random, 2)]
    public void Em_on_iris_is_monotone_and_reports_the_likelihood_of_its_parameters(GaussianMixtureInit init, int seed)
    {
        var iris = Dataset.Load("iris");
        var result = new GaussianMixture(3, tol: 1e-8, maxIter: 500, init: init).Fit(iris.Features, iris.Rows, iris.Columns, new Random(seed));
        var history = result.LogLikelihoodHistory;
        Assert.True(history.Count >= 3);
        for (var t = 1; t < history.Count; t++)
        {
            Assert.True(history[t] >= history[t - 1] - 1e-12, $"iteration {t}: {history[t - 1]} → {history[t]}");
        }

        Assert.Equal(1.0, result.Weights.Sum(), 1e-12);
        Assert.Equal(MeanLogLikelihood(iris, result), result.LogLikelihood, 1e-9);
        // Three components fit iris better than the single sample Gaussian (−2.5328 per sample, see below).
        Assert.True(result.LogLikelihood > -2.5, $"{result.LogLikelihood}");
    }

    [Fact]
    public void One_component_is_the_sample_gaussian_with_its_closed_form_likelihood()
    {
        // MLE: μ = sample mean, Σ = biased sample covariance; mean log-likelihood = −½(d ln 2π + ln|Σ| + d).
        var iris = Dataset.Load("iris");
        int n = iris.Rows,
            d = iris.Columns;
        var result = new GaussianMixture(1, regCovar: 0).Fit(iris.Features, n, d, new Random(0));
        var (mean, _) = iris.Moments();
        var cov = new double[d * d];
        for (var i = 0; i < n; i++)
        {
            for (var a = 0; a < d; a++)
            {
                for (var b = 0; b < d; b++)
                {
                    cov[(a * d) + b] += (iris.Features[(i * d) + a] - mean[a]) * (iris.Features[(i * d) + b] - mean[b]) / n;
                }
            }
        }

        for (var j = 0; j < d * d; j++)
        {
            Assert.Equal(cov[j], result.Covariances[j], 1e-10);
        }

        var expected = -0.5 * ((d * Math.Log(2 * Math.PI)) + Math.Log(Determinant(cov, d)) + d);
        Assert.Equal(expected, result.LogLikelihood, 1e-10);
    }

    /// <summary>Mean log Σₖ wₖ N(x | μₖ, Σₖ) with the inverse and determinant by Gauss–Jordan elimination (no Cholesky).</summary>
    private static double MeanLogLikelihood(Dataset data, GaussianMixtureResult fit)
    {
        int d = data.Columns,
            k = fit.Weights.Length;
        var inverses = new double[k][];
        var dets = new double[k];
        for (var c = 0; c < k; c++)
        {
            var cov = fit.Covariances.AsSpan(c * d * d, d * d).ToArray();
            dets[c] = Determinant(cov, d);
            inverses[c] = Inverse(cov, d);
        }

        var total = 0.0;
        for (var i = 0; i < data.Rows; i++)
        {
            var density = 0.0;
            for (var c = 0; c < k; c++)
            {
                var q = 0.0;
                for (var a = 0; a < d; a++)
                {
                    for (var b = 0; b < d; b++)
                    {
                        q +=
                            (data.Features[(i * d) + a] - fit.Means[(c * d) + a])
                            * inverses[c][(a * d) + b]
                            * (data.Features[(i * d) + b] - fit.Means[(c * d) + b]);
                    }
                }

                density += fit.Weights[c] * Math.Exp(-0.5 * q) / Math.Sqrt(Math.Pow(2 * Math.PI, d) * dets[c]);
            }

            total += Math.Log(density);
        }

        return total / data.Rows;
    }

    private static double Determinant(double[] matrix, int n)
    {
        var m = (double[])matrix.Clone();
        var det = 1.0;
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[(r * n) + col]));
            if (pivot != col)
            {
                for (var j = 0; j < n; j++)
                {
                    (m[(col * n) + j], m[(pivot * n) + j]) = (m[(pivot * n) + j], m[(col * n) + j]);
                }

                det = -det;
            }

            det *= m[(col * n) + col];
            for (var r = col + 1; r < n; r++)
            {
                var f = m[(r * n) + col] / m[(col * n) + col];
                for (var j = col; j < n; j++)
                {
                    m[(r * n) + j] -= f * m[(col * n) + j];
                }
            }
        }

        return det;
    }

    private static double[] Inverse(double[] matrix, int n)
    {
        var m = (double[])matrix.Clone();
        var inv = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            inv[(i * n) + i] = 1;
        }

        for (var col = 0; col < n; col++)
        {
            var p = m[(col * n) + col];
            for (var j = 0; j < n; j++)
            {
                m[(col * n) + j] /= p;
                inv[(col * n) + j] /= p;
            }

            for (var r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }

                var f = m[(r * n) + col];
                for (var j = 0; j < n; j++)
                {
                    m[(r * n) + j] -= f * m[(col * n) + j];
                    inv[(r * n) + j] -= f * inv[(col * n) + j];
                }
            }
        }

        return inv;
    }
}
