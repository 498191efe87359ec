namespace Tracker.Compute.Classic;

/// <summary>The best k-means solution over the restarts.</summary>
/// <param name="Centroids">k×d row-major centroids.</param>
/// <param name="Labels">Cluster of each row.</param>
/// <param name="Inertia">Sum of squared distances to the assigned centroid.</param>
/// <param name="Iterations">Lloyd iterations of the best restart.</param>
/// <param name="InertiaHistory">Inertia after each iteration of the best restart (non-increasing).</param>
/// <param name="InitialInertia">Inertia of the best restart's k-means++ seeds, before its first iteration.</param>
/// <param name="Converged">Whether the best restart stopped because its centers moved less than tol (not at max_iter).</param>
internal sealed record KMeansResult(
    double[] Centroids,
    int[] Labels,
    double Inertia,
    int Iterations,
    IReadOnlyList<double> InertiaHistory,
    double InitialInertia = double.NaN,
    bool Converged = false
);
