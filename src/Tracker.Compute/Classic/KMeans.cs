using System.Numerics.Tensors;

namespace Tracker.Compute.Classic;

/// <summary>Lloyd's k-means with greedy k-means++ seeding and n_init restarts (scikit-learn's algorithm and defaults).</summary>
internal sealed class KMeans(int clusters, int nInit = 10, int maxIter = 300, double tol = 1e-4)
{
    /// <summary>Number of clusters k.</summary>
    public int Clusters { get; } = clusters;

    /// <summary>Runs n_init seeded restarts and returns the lowest-inertia one; <paramref name="onIteration"/> sees (restart, iteration, inertia).
    /// <paramref name="cancellationToken"/> is checked per seed candidate and every 64 rows of each assignment pass.</summary>
    public KMeansResult Fit(
        double[] x,
        int rows,
        int cols,
        Random rng,
        Action<int, int, double>? onIteration = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rng);
        var variance = 0.0;
        for (var j = 0; j < cols; j++)
        {
            double mean = 0,
                sq = 0;
            for (var i = 0; i < rows; i++)
            {
                mean += x[(i * cols) + j];
            }

            mean /= rows;
            for (var i = 0; i < rows; i++)
            {
                var d = x[(i * cols) + j] - mean;
                sq += d * d;
            }

            variance += sq / rows;
        }

        var threshold = tol * variance / cols;
        KMeansResult? best = null;
        for (var run = 0; run < nInit; run++)
        {
            var result = Lloyd(x, rows, cols, Seed(x, rows, cols, rng, cancellationToken), threshold, run, onIteration, cancellationToken);
            if (best is null || result.Inertia < best.Inertia)
            {
                best = result;
            }
        }

        return best!;
    }

    private double[] Seed(double[] x, int rows, int cols, Random rng, CancellationToken cancellationToken)
    {
        var k = Clusters;
        var centers = new double[k * cols];
        var closest = new double[rows];
        var trials = 2 + (int)Math.Log(k);
        var first = rng.Next(rows);
        x.AsSpan(first * cols, cols).CopyTo(centers);
        for (var i = 0; i < rows; i++)
        {
            var d = TensorPrimitives.Distance(x.AsSpan(i * cols, cols), x.AsSpan(first * cols, cols));
            closest[i] = d * d;
        }

        for (var c = 1; c < k; c++)
        {
            var potential = closest.Sum();
            var bestPotential = double.PositiveInfinity;
            var bestCandidate = 0;
            for (var t = 0; t < trials; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var u = rng.NextDouble() * potential;
                var candidate = 0;
                for (var acc = closest[0]; acc < u && candidate < rows - 1; acc += closest[++candidate]) { }

                var sum = 0.0;
                for (var i = 0; i < rows; i++)
                {
                    var d = TensorPrimitives.Distance(x.AsSpan(i * cols, cols), x.AsSpan(candidate * cols, cols));
                    sum += Math.Min(closest[i], d * d);
                }

                if (sum < bestPotential)
                {
                    (bestPotential, bestCandidate) = (sum, candidate);
                }
            }

            x.AsSpan(bestCandidate * cols, cols).CopyTo(centers.AsSpan(c * cols));
            for (var i = 0; i < rows; i++)
            {
                var d = TensorPrimitives.Distance(x.AsSpan(i * cols, cols), x.AsSpan(bestCandidate * cols, cols));
                closest[i] = Math.Min(closest[i], d * d);
            }
        }

        return centers;
    }

    private KMeansResult Lloyd(
        double[] x,
        int rows,
        int cols,
        double[] centers,
        double threshold,
        int run,
        Action<int, int, double>? onIteration,
        CancellationToken cancellationToken
    )
    {
        var k = Clusters;
        var labels = new int[rows];
        var counts = new int[k];
        var next = new double[k * cols];
        var history = new List<double>();
        var iterations = 0;
        var inertia = Assign(x, rows, cols, centers, labels, cancellationToken);
        var initial = inertia;
        var converged = false;
        while (iterations < maxIter)
        {
            iterations++;
            Array.Clear(next);
            Array.Clear(counts);
            for (var i = 0; i < rows; i++)
            {
                counts[labels[i]]++;
                TensorPrimitives.Add(next.AsSpan(labels[i] * cols, cols), x.AsSpan(i * cols, cols), next.AsSpan(labels[i] * cols, cols));
            }

            var shift = 0.0;
            for (var c = 0; c < k; c++)
            {
                var center = next.AsSpan(c * cols, cols);
                if (counts[c] == 0)
                {
                    centers.AsSpan(c * cols, cols).CopyTo(center);
                }
                else
                {
                    TensorPrimitives.Divide(center, counts[c], center);
                }

                var d = TensorPrimitives.Distance(center, centers.AsSpan(c * cols, cols));
                shift += d * d;
            }

            next.CopyTo(centers, 0);
            inertia = Assign(x, rows, cols, centers, labels, cancellationToken);
            history.Add(inertia);
            onIteration?.Invoke(run, iterations, inertia);
            if (shift <= threshold)
            {
                converged = true;
                break;
            }
        }

        return new KMeansResult(centers, labels, inertia, iterations, history, initial, converged);
    }

    private double Assign(double[] x, int rows, int cols, double[] centers, int[] labels, CancellationToken cancellationToken)
    {
        var inertia = 0.0;
        for (var i = 0; i < rows; i++)
        {
            if ((i & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var best = double.PositiveInfinity;
            for (var c = 0; c < Clusters; c++)
            {
                var d = TensorPrimitives.Distance(x.AsSpan(i * cols, cols), centers.AsSpan(c * cols, cols));
                if (d * d < best)
                {
                    best = d * d;
                    labels[i] = c;
                }
            }

            inertia += best;
        }

        return inertia;
    }
}
