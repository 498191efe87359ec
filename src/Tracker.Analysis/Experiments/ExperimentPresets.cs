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
        new("saddle-noise-escape", "The same GD with N(0, 0.01²) gradient noise leaves the manifold and falls into a minimum.", Spec("gd", "saddle", 200, """{"lr": 0.05, "gradient_noise": 0.01}""")),
        new("saddle-momentum-escape", "Noise pushes SGD with momentum off the stable manifold into a minimum.", Spec("sgd", "saddle", 200, """{"lr": 0.05, "momentum": 0.9, "gradient_noise": 0.01}""")),
        new("rosenbrock-lbfgs", "L-BFGS with strong-Wolfe line search on Rosenbrock's valley.", Spec("lbfgs", "rosenbrock", 40, """{"max_iter": 1, "history_size": 10}""")),
        new("raw-vs-standardized", "Least squares on raw wine features: an elongated valley that GD crawls along.", Spec("gd", "linear_regression", 200, """{"lr": 1e-7, "standardize": false}""")),
        new("standardized-features", "The same least squares on standardized features: a round valley, a 10⁶ times larger lr, fast convergence.", Spec("gd", "linear_regression", 200, """{"lr": 0.1, "standardize": true}""")),
        new("constant-lr-noise-band", "SGD with batch 4 and a constant lr 2: the loss stalls in a noise band (≈0.16 over the last 100 steps).", Spec("sgd", "logistic_regression", 500, """{"lr": 2.0, "batch_size": 4}""")),
        new("decaying-lr", "The same SGD with lr·t₀/(t₀ + t), t₀ = 20: the band shrinks and the loss keeps falling (≈0.06).", Spec("sgd", "logistic_regression", 500, """{"lr": 2.0, "batch_size": 4}""", schedule: """{"name": "inverse_time", "t0": 20}""")),
        new("batch-small", "SGD on an MLP (digits) with batch 32 and lr 0.05: the reference for the batch-size presets.", Spec("sgd", "mlp", 200, Mlp("""{"lr": 0.05, "batch_size": 32}"""))),
        new("batch-large-no-scaling", "Batch 256 with the same lr 0.05: 8× the data per step buys almost nothing per step over batch 32.", Spec("sgd", "mlp", 200, Mlp("""{"lr": 0.05, "batch_size": 256}"""))),
        new("batch-large-linear-scaling", "Batch 256 with lr 0.4 (linear scaling rule: lr × 256/32): the same 200 steps reach a far lower loss.", Spec("sgd", "mlp", 200, Mlp("""{"lr": 0.4, "batch_size": 256}"""))),
        new("init-naive-deep-sigmoid", "8 sigmoid layers drawn N(0, 1) whatever their size: saturated units; compare per-layer grad norms with the Xavier run.", Spec("sgd", "mlp", 100, Deep("sigmoid"), "normal")),
        new("init-xavier-deep-sigmoid", "The same network with xavier_uniform: grad norms shrink ≈4× per layer towards layer0 (sigmoid slope ≤ ¼): vanishing gradients.", Spec("sgd", "mlp", 100, Deep("sigmoid"), "xavier_uniform")),
        new("init-naive-deep-relu", "8 ReLU layers drawn N(0, 1): activations, loss and grad norms explode (≈10⁵ × He at step 1).", Spec("sgd", "mlp", 100, Deep("relu", lr: 1e-6), "normal")),
        new("init-he-deep-relu", "The same ReLU network with kaiming_normal (He): grad norms of the same order in every layer.", Spec("sgd", "mlp", 100, Deep("relu"), "kaiming_normal")),
        new("deep-plain", "A 16-layer tanh network, nn.Linear default init: the loss stays near ln 10.", Spec("sgd", "mlp", 150, Deep("tanh", 16))),
        new("deep-residual", "The same 16 layers with residual connections: gradients flow through the skips.", Spec("sgd", "mlp", 150, Deep("tanh", 16, extra: ", \"residual\": true"))),
        new("deep-layernorm", "The same 16 layers with layer normalization.", Spec("sgd", "mlp", 150, Deep("tanh", 16, extra: ", \"layer_norm\": true"))),
        new("async-sync-baseline", "Synchronous SGD on logistic regression, 8 workers × 2 rows, lr 3: every update is a fresh 16-row gradient (the rows asynchronous SGD with τ = 0 would use); the reference for the staleness presets.", Spec("sync_sgd", "logistic_regression", 200, """{"lr": 3.0, "workers": 8, "batch_size": 2}""")),
        new("async-staleness-hurts", "Asynchronous SGD, 8 workers × 16 rows per update with a 4× straggler and τ = 32, same lr and number of updates: stale gradients end at a loss several times that of async-sync-baseline (staleness logged per step).", Spec("async_sgd", "logistic_regression", 200, """{"lr": 3.0, "workers": 8, "batch_size": 16, "max_staleness": 32, "straggler": 4}""")),
        new("async-staleness-aware", "The same asynchronous run with lr/(1 + staleness): damped stale steps recover most of the gap to async-sync-baseline.", Spec("async_sgd", "logistic_regression", 200, """{"lr": 3.0, "workers": 8, "batch_size": 16, "max_staleness": 32, "straggler": 4, "staleness_aware": true}""")),
        new("topk-no-feedback", "Softmax regression, 4 workers sending the top 1% of coordinates without error feedback: the dropped mass is lost for good.", Spec("sync_sgd", "softmax_regression", 200, """{"lr": 0.5, "workers": 4, "compression": "topk", "k_fraction": 0.01, "error_feedback": false, "dataset": "digits"}""")),
        new("topk-error-feedback", "The same top-1% messages with error feedback: the residual is sent later and the loss ends far lower than topk-no-feedback (bytes_up ~1/60 of dense; bytes_down stays dense).", Spec("sync_sgd", "softmax_regression", 200, """{"lr": 0.5, "workers": 4, "compression": "topk", "k_fraction": 0.01, "error_feedback": true, "dataset": "digits"}""")),
        new("qsgd-4-levels", "Softmax regression on digits with QSGD at s = 4: unbiased 4-bit messages, bytes_up ~1/16 of dense (bytes_down stays dense).", Spec("sync_sgd", "softmax_regression", 200, """{"lr": 0.5, "workers": 4, "compression": "qsgd", "levels": 4, "dataset": "digits"}""")),
        new("em-iris", "EM for a 3-component full-covariance Gaussian mixture on iris: the log-likelihood climbs monotonically.", Spec("gmm", "iris", 100, """{"n_components": 3, "tol": 1e-6}""")),
        new("kmeans-iris", "k-means++ with 10 restarts on iris reaches inertia 78.851441426146.", Spec("kmeans", "iris", 300, """{"n_clusters": 3}""")),
    ];

    private static string Mlp(string hyperparameters) => hyperparameters.Replace("{", """{"width": 32, "depth": 2, """, StringComparison.Ordinal);

    private static string Deep(string activation, int depth = 8, double lr = 0.1, string extra = "")
        => $$"""{"width": 32, "depth": {{depth}}, "activation": "{{activation}}", "batch_size": 64, "lr": {{lr:R}}{{extra}}}""";

    private static ExperimentSpec Spec(string solver, string problem, int steps, string hyperparameters, string? init = null, string? schedule = null) => new()
    {
        Solver = solver,
        Problem = problem,
        Steps = steps,
        EvalEvery = problem == "mlp" ? 10 : 1,
        Hyperparameters = Parse(hyperparameters)!,
        Init = init is null ? null : Parse($$"""{"name": "{{init}}"}"""),
        Schedule = schedule is null ? null : Parse(schedule),
    };

    private static Dictionary<string, JsonElement>? Parse(string json) => JsonSerializer.Deserialize(json, ExperimentJsonContext.Default.DictionaryStringJsonElement);
}
