using System.Text.Json;

namespace Tracker.Analysis.Experiments;

/// <summary>The gallery of named experiments that show one factor each.</summary>
public static class ExperimentPresets
{
    /// <summary>All presets.</summary>
    public static IReadOnlyList<ExperimentPreset> All { get; } =
    [
        new("lr-too-high", "GD on an ill-conditioned quadratic with lr above 2/L: the loss diverges.", Spec("gd", "quadratic", 50, """{"lr": 0.21, "condition_number": 10}""")),
        new("lr-too-low", "GD with a tiny lr: linear convergence with a rate close to 1.", Spec("gd", "quadratic", 200, """{"lr": 0.001, "condition_number": 10}""")),
        new("lr-just-right", "GD with lr = 2/(L+μ): the fastest contraction (κ−1)/(κ+1).", Spec("gd", "quadratic", 50, """{"lr": 0.18181818181818182, "condition_number": 10}""")),
        new("saddle-gd-stuck", "Plain GD started on the saddle's stable manifold converges to the saddle.", Spec("gd", "saddle", 200, """{"lr": 0.05}""")),
        new("saddle-momentum-escape", "Noise pushes SGD with momentum off the stable manifold into a minimum.", Spec("sgd", "saddle", 200, """{"lr": 0.05, "momentum": 0.9, "gradient_noise": 0.01}""")),
        new("rosenbrock-lbfgs", "L-BFGS with strong-Wolfe line search on Rosenbrock's valley.", Spec("lbfgs", "rosenbrock", 40, """{"max_iter": 1, "history_size": 10}""")),
        new("raw-vs-standardized", "Least squares on raw wine features: an elongated valley that GD crawls along.", Spec("gd", "linear_regression", 200, """{"lr": 1e-7, "standardize": false}""")),
        new("em-iris", "EM for a 3-component full-covariance Gaussian mixture on iris: the log-likelihood climbs monotonically.", Spec("gmm", "iris", 100, """{"n_components": 3, "tol": 1e-6}""")),
        new("kmeans-iris", "k-means++ with 10 restarts on iris reaches inertia 78.851441426146.", Spec("kmeans", "iris", 300, """{"n_clusters": 3}""")),
    ];

    private static ExperimentSpec Spec(string solver, string problem, int steps, string hyperparameters) => new()
    {
        Solver = solver,
        Problem = problem,
        Steps = steps,
        Hyperparameters = JsonSerializer.Deserialize(hyperparameters, ExperimentJsonContext.Default.DictionaryStringJsonElement)!,
    };
}
