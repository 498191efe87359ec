using System.Text.Json;
using Tracker.Sdk.Contracts;
using P = Tracker.Sdk.Contracts.ParameterDescriptor;

namespace Tracker.Compute.Experiments;

/// <summary>Every solver, problem and schedule an experiment may name, with parameters, types, ranges and defaults.</summary>
public static class ExperimentCatalog
{
    private static readonly string[] Datasets = ["iris", "wine", "breast_cancer", "digits"];
    private static readonly string[] NetworkProblems = ["softmax_regression", "mlp"];
    private static readonly string[] DataProblems = ["logistic_regression", "linear_regression", "softmax_regression", "mlp"];

    /// <summary>The catalog document.</summary>
    public static ExperimentCatalogDocument Document { get; } =
        new(
            [
                new("gd", "Gradient descent (constant lr, or Robbins–Monro lr/t).", [P.Number("lr", 1e-3, 0), P.Boolean("robbins_monro", false)]),
                new(
                    "sgd",
                    "torch.optim.SGD.",
                    [
                        P.Number("lr", 1e-3, 0),
                        P.Number("momentum", 0, 0),
                        P.Number("dampening", 0),
                        P.Number("weight_decay", 0, 0),
                        P.Boolean("nesterov", false),
                    ]
                ),
                new(
                    "adagrad",
                    "torch.optim.Adagrad.",
                    [
                        P.Number("lr", 1e-2, 0),
                        P.Number("lr_decay", 0, 0),
                        P.Number("weight_decay", 0, 0),
                        P.Number("initial_accumulator_value", 0, 0),
                        P.Number("eps", 1e-10, 0),
                    ]
                ),
                new(
                    "rmsprop",
                    "torch.optim.RMSprop.",
                    [
                        P.Number("lr", 1e-2, 0),
                        P.Number("alpha", 0.99, 0, 1),
                        P.Number("eps", 1e-8, 0),
                        P.Number("weight_decay", 0, 0),
                        P.Number("momentum", 0, 0),
                        P.Boolean("centered", false),
                    ]
                ),
                new(
                    "adam",
                    "torch.optim.Adam (amsgrad optional).",
                    [
                        P.Number("lr", 1e-3, 0),
                        P.Numbers("betas", [0.9, 0.999]),
                        P.Number("eps", 1e-8, 0),
                        P.Number("weight_decay", 0, 0),
                        P.Boolean("amsgrad", false),
                    ]
                ),
                new(
                    "adamw",
                    "torch.optim.AdamW.",
                    [
                        P.Number("lr", 1e-3, 0),
                        P.Numbers("betas", [0.9, 0.999]),
                        P.Number("eps", 1e-8, 0),
                        P.Number("weight_decay", 1e-2, 0),
                        P.Boolean("amsgrad", false),
                    ]
                ),
                new(
                    "newton",
                    "Newton's method with Cholesky solve, damping and optional Armijo line search (needs a Hessian).",
                    [P.Number("lr", 1, 0), P.Number("damping", 0, 0), P.Boolean("line_search", false)],
                    ["quadratic", "rosenbrock", "saddle"]
                ),
                new(
                    "lbfgs",
                    "torch.optim.LBFGS; one step = one optimizer.step(closure).",
                    [
                        P.Number("lr", 1, 0),
                        P.Integer("max_iter", 20, 1, 1_000, "function evaluations per step"),
                        P.Integer("history_size", 100, 1, 1_000),
                        P.Number("tolerance_grad", 1e-7, 0),
                        P.Number("tolerance_change", 1e-9, 0),
                        P.Choice("line_search_fn", "strong_wolfe", ["none", "strong_wolfe"]),
                    ]
                ),
                new(
                    "sync_sgd",
                    "Synchronous data-parallel SGD, simulated: K workers × batch_size rows (0: the training set split K ways), row-weighted average of (compressed) gradients; logs bytes_up, bytes_down and their sum bytes_communicated.",
                    [P.Number("lr", 1e-2, 0), P.Integer("workers", 4, 1, 256), .. Compression()],
                    DataProblems
                ),
                new(
                    "async_sgd",
                    "Asynchronous parameter-server SGD, simulated: bounded staleness τ, the last worker straggler× slower, optional lr/(1+staleness); logs staleness, bytes_up, bytes_down and their sum bytes_communicated.",
                    [
                        P.Number("lr", 1e-2, 0),
                        P.Integer("workers", 4, 1, 256),
                        P.Integer("max_staleness", 8, 0, 256),
                        P.Boolean("staleness_aware", false),
                        P.Number("straggler", 1, 1, 1000, "slowdown of the last worker"),
                        .. Compression(),
                    ],
                    DataProblems
                ),
                new(
                    "kmeans",
                    "Lloyd's k-means with k-means++ and n_init restarts (logs inertia per iteration of the best restart).",
                    [P.Integer("n_clusters", 3, 1, 256), P.Integer("n_init", 10, 1, 100, "seeded restarts"), P.Number("tol", 1e-4, 0)],
                    Datasets
                ),
                new(
                    "gmm",
                    "EM for a Gaussian mixture with full covariances (scikit-learn GaussianMixture); logs log_likelihood (mean per sample), checked non-decreasing.",
                    [
                        P.Integer("n_components", 3, 1, 64),
                        P.Number("tol", 1e-3, 0),
                        P.Number("reg_covar", 1e-6, 0),
                        P.Choice("init_params", "kmeans", ["kmeans", "k-means++", "random"]),
                    ],
                    Datasets
                ),
                new(
                    "perceptron",
                    "Perceptron on positive_class vs negative_class; logs mistakes per epoch and Novikoff's bound.",
                    [P.Integer("positive_class", 0, 0, 9), P.Integer("negative_class", 1, 0, 9)],
                    Datasets
                ),
            ],
            [
                new(
                    "quadratic",
                    "½ Σ λᵢ xᵢ², eigenvalues from 1 to the condition number, started at all ones (strongly convex; x* = 0, f* = 0).",
                    [P.Integer("dimension", 2, 1, 10_000), P.Number("condition_number", 10, 1)],
                    Convex: true
                ),
                new(
                    "rosenbrock",
                    "(1 − x)² + 100 (y − x²)² from (−1.2, 1) (non-convex valley; x* = (1, 1), f* = 0).",
                    [P.Number("start_x", -1.2), P.Number("start_y", 1)],
                    Convex: false
                ),
                new(
                    "saddle",
                    "Non-convex: x² − y² + q y⁴ + s y from (start_x, start_y): a saddle at the origin when the tilt s is 0, two minima (unequal when s ≠ 0, so the end point depends on the start); gradient_noise adds N(0, σ²).",
                    [
                        P.Number("quartic", 0.25, 1e-6),
                        P.Number("start_x", 1),
                        P.Number("start_y", 0),
                        P.Number("gradient_noise", 0, 0),
                        P.Number("tilt", 0, description: "the linear term s"),
                    ],
                    Convex: false
                ),
                new(
                    "reddi_counterexample",
                    "Reddi, Kale & Kumar (2018): the online problem f_t(x) = C·x when t mod 3 = 1, else −x, on x ∈ [−1, 1]; loss is the average (C − 2)x/3, minimized at x* = −1. Adam with β₁ = 0, β₂ = 1/(1 + C²) drifts to +1; AMSGrad converges.",
                    [P.Number("C", 3, 2.000001), P.Number("start", 0, -1, 1)],
                    Convex: true
                ),
                new(
                    "logistic_regression",
                    "Logistic regression (label == positive_class) with intercept on a real data set.",
                    DataParameters("breast_cancer", [P.Integer("positive_class", 1, 0), P.Number("l2", 0, 0)]),
                    Convex: true
                ),
                new(
                    "linear_regression",
                    "Least squares on the label as a number (raw features show the elongated valley).",
                    DataParameters("wine", [P.Number("l2", 0, 0)]),
                    Convex: true
                ),
                new(
                    "softmax_regression",
                    "Multinomial logistic regression (mean cross-entropy) with intercepts; logs val_accuracy.",
                    DataParameters("iris", []),
                    Convex: true
                ),
                new(
                    "mlp",
                    "Fully connected classifier, softmax cross-entropy; logs grad_norm/layerN and val_accuracy.",
                    DataParameters(
                        "digits",
                        [
                            P.Integer("width", 64, 1, 4096),
                            P.Integer("depth", 2, 0, 64, "hidden layers"),
                            P.Choice("activation", "relu", ["relu", "tanh", "sigmoid"]),
                            P.Boolean("residual", false, "skip connections on the width×width hidden layers"),
                            P.Boolean("layer_norm", false, "LayerNorm before each hidden activation"),
                            P.Boolean(
                                "batch_norm",
                                false,
                                "BatchNorm1d before each hidden activation (batch statistics in training, running ones when scoring); not with layer_norm"
                            ),
                            P.Choice("dtype", "float64", ["float64", "float32"]),
                        ]
                    ),
                    Convex: false
                ),
            ],
            [
                new("constant", "No schedule.", []),
                new("step", "StepLR.", [P.Integer("step_size", 30, 1), P.Number("gamma", 0.1, 0)]),
                new("multistep", "MultiStepLR.", [P.Numbers("milestones", [30, 80]), P.Number("gamma", 0.1, 0)]),
                new("exponential", "ExponentialLR.", [P.Number("gamma", 0.99, 0)]),
                new("cosine", "CosineAnnealingLR (closed form).", [P.Integer("T_max", 100, 1), P.Number("eta_min", 0, 0)]),
                new("cosine_warm_restarts", "CosineAnnealingWarmRestarts.", [P.Integer("T_0", 10, 1), P.Integer("T_mult", 1, 1), P.Number("eta_min", 0, 0)]),
                new(
                    "cyclic",
                    "CyclicLR (lr between base_lr and max_lr).",
                    [
                        P.Number("base_lr", 1e-3, 0),
                        P.Number("max_lr", 6e-3, 0),
                        P.Integer("step_size_up", 2000, 1),
                        P.Integer("step_size_down", 2000, 1),
                        P.Choice("mode", "triangular", ["triangular", "triangular2", "exp_range"]),
                        P.Number("gamma", 1, 0),
                    ]
                ),
                new("linear", "LinearLR.", [P.Number("start_factor", 1.0 / 3, 0), P.Number("end_factor", 1, 0), P.Integer("total_iters", 5, 1)]),
                new(
                    "warmup_cosine",
                    "Linear warm-up then cosine decay.",
                    [P.Integer("warmup_steps", 10, 0), P.Integer("total_steps", 100, 1), P.Number("eta_min", 0, 0)]
                ),
                new("polynomial", "PolynomialLR.", [P.Integer("total_iters", 5, 1), P.Number("power", 1, 0)]),
                new(
                    "one_cycle",
                    "OneCycleLR (learning rate only).",
                    [
                        P.Number("max_lr", 0.1, 0),
                        P.Integer("total_steps", 100, 1),
                        P.Number("pct_start", 0.3, 0, 1),
                        P.Choice("anneal_strategy", "cos", ["cos", "linear"]),
                        P.Number("div_factor", 25, 1),
                        P.Number("final_div_factor", 1e4, 1),
                        P.Boolean("three_phase", false),
                    ]
                ),
                new("inverse_time", "lr·t₀/(t₀ + t).", [P.Number("t0", 1, 1e-12)]),
                new(
                    "inverse_sqrt",
                    "lr·√(t₀/(t₀ + t)): α/√t for t₀ = 1 (the step size of the regret bounds of AdaGrad, Adam and AMSGrad).",
                    [P.Number("t0", 1, 1e-12)]
                ),
                new(
                    "reduce_on_plateau",
                    "ReduceLROnPlateau (PyTorch, mode min) driven by the analysis library: monitors val_loss after each evaluation, or the training loss every step when the problem has no validation data.",
                    [
                        P.Number("factor", 0.1, 0, 0.999999),
                        P.Integer("patience", 10, 0),
                        P.Number("threshold", 1e-4, 0),
                        P.Choice("threshold_mode", "rel", ["rel", "abs"]),
                        P.Integer("cooldown", 0, 0),
                        P.Number("min_lr", 0, 0),
                        P.Number("eps", 1e-8, 0),
                    ]
                ),
            ],
            [P.Number("max_norm", 0, 0, description: "clip_grad_norm_ (0 = off)"), P.Number("clip_value", 0, 0, description: "clip_grad_value_ (0 = off)")],
            ExperimentPresets.All,
            [
                new("default", "nn.Linear's default: weights and biases U(−1/√fan_in, 1/√fan_in).", []),
                new("xavier_uniform", "xavier_uniform_: U(±gain·√(6/(fan_in+fan_out))), zero biases.", [P.Number("gain", 1, 0)]),
                new("xavier_normal", "xavier_normal_: N(0, gain²·2/(fan_in+fan_out)), zero biases.", [P.Number("gain", 1, 0)]),
                new("kaiming_uniform", "kaiming_uniform_ with the activation's gain, zero biases.", [P.Choice("mode", "fan_in", ["fan_in", "fan_out"])]),
                new("kaiming_normal", "kaiming_normal_ with the activation's gain, zero biases.", [P.Choice("mode", "fan_in", ["fan_in", "fan_out"])]),
                new("normal", "Naive N(0, std²) whatever the layer size, zero biases.", [P.Number("std", 1, 0)]),
                new("uniform", "Naive U(−bound, bound) whatever the layer size, zero biases.", [P.Number("bound", 1, 0)]),
                new("zeros", "All zeros (softmax regression's default).", []),
            ]
        );

    /// <summary>Looks up a solver.</summary>
    public static ComponentDescriptor? Solver(string name) => Document.Solvers.FirstOrDefault(s => s.Name == name);

    /// <summary>Looks up a problem.</summary>
    public static ComponentDescriptor? Problem(string name) => Document.Problems.FirstOrDefault(p => p.Name == name);

    /// <summary>Looks up a schedule.</summary>
    public static ComponentDescriptor? Schedule(string name) => Document.Schedules.FirstOrDefault(s => s.Name == name);

    /// <summary>Looks up an initializer.</summary>
    public static ComponentDescriptor? Initializer(string name) => Document.Initializers.FirstOrDefault(i => i.Name == name);

    /// <summary>Validates a spec; returns errors keyed by field (empty when valid), shaped for a ValidationProblem.</summary>
    public static Dictionary<string, string[]> Validate(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new Dictionary<string, List<string>>();
        void Add(string key, string message) => (errors.TryGetValue(key, out var l) ? l : errors[key] = []).Add(message);

        var solver = Solver(spec.Solver);
        var classic = solver?.Compatible == Datasets;
        var problem = classic ? null : Problem(spec.Problem);
        if (solver is null)
        {
            Add("solver", $"Unknown solver '{spec.Solver}'.");
        }

        if (classic ? !Datasets.Contains(spec.Problem) : problem is null)
        {
            Add("problem", classic ? $"'{spec.Solver}' runs on a data set: {string.Join(", ", Datasets)}." : $"Unknown problem '{spec.Problem}'.");
        }
        else if (solver?.Compatible is { } compatible && !compatible.Contains(spec.Problem))
        {
            Add("problem", $"'{spec.Solver}' needs one of: {string.Join(", ", compatible)}.");
        }

        var known = (solver?.Parameters ?? []).Concat(problem?.Parameters ?? []).ToDictionary(p => p.Name);
        foreach (var (name, value) in spec.Hyperparameters ?? [])
        {
            if (!known.TryGetValue(name, out var descriptor))
            {
                Add($"hyperparameters.{name}", $"Unknown parameter '{name}'.");
            }
            else if (descriptor.Check(value) is { } error)
            {
                Add($"hyperparameters.{name}", error);
            }
        }

        if (
            spec.Hyperparameters is { } h
            && h.TryGetValue("layer_norm", out var ln)
            && ln.ValueKind == JsonValueKind.True
            && h.TryGetValue("batch_norm", out var bn)
            && bn.ValueKind == JsonValueKind.True
        )
        {
            Add("hyperparameters.batch_norm", "Choose layer_norm or batch_norm, not both.");
        }

        if (spec.Schedule is { } schedule)
        {
            var name = schedule.TryGetValue("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            if (Schedule(name) is not { } descriptor)
            {
                Add("schedule.name", $"Unknown schedule '{name}'.");
            }
            else
            {
                foreach (var (key, value) in schedule.Where(kv => kv.Key != "name"))
                {
                    var p = descriptor.Parameters.FirstOrDefault(p => p.Name == key);
                    if ((p is null ? $"Unknown parameter '{key}'." : p.Check(value)) is { } error)
                    {
                        Add($"schedule.{key}", error);
                    }
                }
            }
        }

        if (spec.Init is { } init)
        {
            var name = init.TryGetValue("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            if (!NetworkProblems.Contains(spec.Problem))
            {
                Add("init", $"init applies to network problems: {string.Join(", ", NetworkProblems)}.");
            }
            else if (Initializer(name) is not { } descriptor)
            {
                Add("init.name", $"Unknown initializer '{name}'.");
            }
            else
            {
                foreach (var (key, value) in init.Where(kv => kv.Key != "name"))
                {
                    var p = descriptor.Parameters.FirstOrDefault(p => p.Name == key);
                    if ((p is null ? $"Unknown parameter '{key}'." : p.Check(value)) is { } error)
                    {
                        Add($"init.{key}", error);
                    }
                }
            }
        }

        foreach (var (key, value) in spec.Clip ?? [])
        {
            var p = Document.Clip.FirstOrDefault(p => p.Name == key);
            if ((p is null ? $"Unknown clip option '{key}'." : p.Check(value)) is { } error)
            {
                Add($"clip.{key}", error);
            }
        }

        if (spec.Steps is < 1 or > 1_000_000)
        {
            Add("steps", "steps must lie in [1, 1000000].");
        }

        if (spec.EvalEvery < 0)
        {
            Add("evalEvery", "evalEvery must not be negative (0 means 1).");
        }

        return errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }

    private static ParameterDescriptor[] Compression() =>
        [
            P.Choice("compression", "none", ["none", "qsgd", "topk"]),
            P.Integer("levels", 4, 1, 65_535, "QSGD levels s"),
            P.Number("k_fraction", 0.1, 0, 1, "top-k: fraction of coordinates kept"),
            P.Boolean("error_feedback", true, "top-k: carry the untransmitted residual"),
        ];

    private static ParameterDescriptor[] DataParameters(string dataset, ParameterDescriptor[] extra) =>
        [
            P.Choice("dataset", dataset, Datasets),
            P.Number("validation_fraction", 0.2, 0, 0.9),
            P.Boolean("standardize", true),
            P.Integer("batch_size", 0, 0, 100_000, "0 = full batch"),
            P.Integer("train_size", 0, 0, 100_000, "keep only this many training rows (0 = all): a tiny subset to overfit"),
            P.Number("label_noise", 0, 0, 1, "fraction of training labels replaced by another class (symmetric noise)"),
            .. extra,
        ];
}
