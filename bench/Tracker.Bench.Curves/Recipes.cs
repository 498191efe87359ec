namespace Tracker.Bench.Curves;

/// <summary>Every recipe of the corpus (documented family by family in data/curves/README.md).</summary>
internal static class Recipes
{
    public static IReadOnlyList<Recipe> All { get; } = Build();

    private static Dictionary<string, System.Text.Json.JsonElement> Clip(double maxNorm) =>
        new() { ["max_norm"] = System.Text.Json.JsonSerializer.SerializeToElement(maxNorm) };

    private static List<Recipe> Build()
    {
        var r = new List<Recipe>();
        void Add(string id, string family, string label, int stride, Tracker.Sdk.Contracts.ExperimentSpec spec) =>
            r.Add(new Recipe(id, family, label, spec, stride));

        // A. healthy_logreg_l2: L2-regularized logistic regression (a strongly convex problem with a true minimum), full-batch GD, trained long.
        foreach (var ds in new[] { "breast_cancer", "wine", "iris" })
        {
            foreach (var l2 in new[] { 0.01, 0.03 })
            {
                Add(
                    $"healthy-logreg-{ds}-l2{l2}",
                    "healthy_logreg_l2",
                    "healthy_convergence",
                    2,
                    Recipe.Make("gd", "logistic_regression", 800, $$"""{"dataset": "{{ds}}", "positive_class": 1, "lr": 1.0, "l2": {{l2}}}""")
                );
            }
        }

        // B. healthy_softmax_wd: softmax regression with Adam and weight decay.
        foreach (var ds in new[] { "iris", "wine", "breast_cancer" })
        {
            foreach (var seed in new[] { 1, 2 })
            {
                Add(
                    $"healthy-softmax-{ds}-s{seed}",
                    "healthy_softmax_wd",
                    "healthy_convergence",
                    2,
                    Recipe.Make("adam", "softmax_regression", 600, $$"""{"dataset": "{{ds}}", "lr": 0.05, "weight_decay": 0.01}""", seed)
                );
            }
        }

        // C. healthy_mlp: small MLPs with weight decay, Adam or SGD with a cosine schedule.
        foreach (var ds in new[] { "iris", "wine", "breast_cancer" })
        {
            Add(
                $"healthy-mlp-adam-{ds}",
                "healthy_mlp",
                "healthy_convergence",
                2,
                Recipe.Make("adam", "mlp", 600, $$"""{"dataset": "{{ds}}", "width": 16, "depth": 1, "lr": 0.01, "weight_decay": 0.003}""")
            );
            Add(
                $"healthy-mlp-cosine-{ds}",
                "healthy_mlp",
                "healthy_convergence",
                2,
                Recipe.Make(
                    "sgd",
                    "mlp",
                    600,
                    $$"""{"dataset": "{{ds}}", "width": 16, "depth": 1, "lr": 0.3, "momentum": 0.9, "weight_decay": 0.003}""",
                    schedule: """{"name": "cosine", "T_max": 600}"""
                )
            );
        }

        Add(
            "healthy-mlp-digits-wd",
            "healthy_mlp",
            "healthy_convergence",
            2,
            Recipe.Make("adam", "mlp", 400, """{"width": 32, "depth": 1, "lr": 0.003, "weight_decay": 0.001, "validation_fraction": 0.5}""")
        );
        Add(
            "healthy-mlp-digits-step",
            "healthy_mlp",
            "healthy_convergence",
            2,
            Recipe.Make(
                "sgd",
                "mlp",
                400,
                """{"width": 32, "depth": 1, "lr": 0.3, "momentum": 0.9, "weight_decay": 0.001, "validation_fraction": 0.5}""",
                schedule: """{"name": "step", "step_size": 100, "gamma": 0.3}"""
            )
        );

        // D. still_improving: healthy set-ups run with a 10-100x smaller learning rate (or stopped early), so the
        // loss is mid-descent when the run ends.
        foreach (var ds in new[] { "breast_cancer", "wine" })
        {
            Add(
                $"improving-logreg-{ds}-lr0.01",
                "improving_small_lr",
                "still_improving",
                1,
                Recipe.Make("gd", "logistic_regression", 300, $$"""{"dataset": "{{ds}}", "positive_class": 1, "lr": 0.01, "l2": 0.001}""")
            );
            Add(
                $"improving-logreg-{ds}-lr0.003",
                "improving_small_lr",
                "still_improving",
                1,
                Recipe.Make("gd", "logistic_regression", 400, $$"""{"dataset": "{{ds}}", "positive_class": 1, "lr": 0.003}""")
            );
        }

        foreach (var ds in new[] { "iris", "wine", "breast_cancer" })
        {
            Add(
                $"improving-softmax-{ds}-lr0.001",
                "improving_small_lr",
                "still_improving",
                1,
                Recipe.Make("adam", "softmax_regression", 300, $$"""{"dataset": "{{ds}}", "lr": 0.001}""")
            );
            Add(
                $"improving-softmax-{ds}-sgd",
                "improving_small_lr",
                "still_improving",
                1,
                Recipe.Make("sgd", "softmax_regression", 300, $$"""{"dataset": "{{ds}}", "lr": 0.01}""")
            );
            Add(
                $"improving-mlp-{ds}-sgd",
                "improving_small_lr",
                "still_improving",
                1,
                Recipe.Make("sgd", "mlp", 300, $$"""{"dataset": "{{ds}}", "width": 16, "depth": 1, "lr": 0.005}""")
            );
            Add(
                $"improving-mlp-{ds}-adam",
                "improving_small_lr",
                "still_improving",
                1,
                Recipe.Make("adam", "mlp", 200, $$"""{"dataset": "{{ds}}", "width": 16, "depth": 1, "lr": 0.0005}""")
            );
        }

        Add(
            "improving-mlp-digits",
            "improving_small_lr",
            "still_improving",
            1,
            Recipe.Make("sgd", "mlp", 200, """{"width": 32, "depth": 1, "lr": 0.01, "batch_size": 64, "validation_fraction": 0.5}""")
        );
        Add(
            "improving-mlp-digits-warmup",
            "improving_small_lr",
            "still_improving",
            1,
            Recipe.Make(
                "sgd",
                "mlp",
                200,
                """{"width": 32, "depth": 2, "lr": 0.02, "batch_size": 64, "validation_fraction": 0.5}""",
                schedule: """{"name": "linear", "start_factor": 0.1, "end_factor": 1, "total_iters": 50}"""
            )
        );

        // E. slow_progress: learning rate 1000x too small, or a poor (tiny) initialization.
        foreach (var ds in new[] { "breast_cancer", "wine", "iris" })
        {
            Add(
                $"slow-logreg-{ds}",
                "slow_tiny_lr",
                "slow_progress",
                1,
                Recipe.Make("gd", "logistic_regression", 300, $$"""{"dataset": "{{ds}}", "positive_class": 1, "lr": 0.0001}""")
            );
            Add(
                $"slow-softmax-{ds}",
                "slow_tiny_lr",
                "slow_progress",
                1,
                Recipe.Make("sgd", "softmax_regression", 300, $$"""{"dataset": "{{ds}}", "lr": 0.0001}""")
            );
            Add(
                $"slow-mlp-{ds}",
                "slow_tiny_lr",
                "slow_progress",
                1,
                Recipe.Make("sgd", "mlp", 300, $$"""{"dataset": "{{ds}}", "width": 16, "depth": 1, "lr": 0.0002}""")
            );
            Add(
                $"slow-linreg-{ds}",
                "slow_tiny_lr",
                "slow_progress",
                1,
                Recipe.Make("gd", "linear_regression", 300, $$"""{"dataset": "{{ds}}", "lr": 0.00003}""")
            );
            Add(
                $"slow-mlp-adam-{ds}",
                "slow_tiny_lr",
                "slow_progress",
                1,
                Recipe.Make("adam", "mlp", 300, $$"""{"dataset": "{{ds}}", "width": 16, "depth": 1, "lr": 0.00002}""")
            );
        }

        // F. underfitting: too little capacity or too much regularization, trained to a plateau.
        foreach (var ds in new[] { "breast_cancer", "wine", "iris" })
        {
            Add(
                $"underfit-logreg-{ds}-l2-1",
                "underfit_strong_l2",
                "underfitting",
                2,
                Recipe.Make("gd", "logistic_regression", 400, $$"""{"dataset": "{{ds}}", "positive_class": 1, "lr": 0.5, "l2": 1.0}""")
            );
            Add(
                $"underfit-logreg-{ds}-l2-3",
                "underfit_strong_l2",
                "underfitting",
                2,
                Recipe.Make("gd", "logistic_regression", 400, $$"""{"dataset": "{{ds}}", "positive_class": 1, "lr": 0.2, "l2": 3.0}""")
            );
            Add(
                $"underfit-softmax-{ds}-wd",
                "underfit_strong_l2",
                "underfitting",
                2,
                Recipe.Make("sgd", "softmax_regression", 400, $$"""{"dataset": "{{ds}}", "lr": 0.3, "weight_decay": 1.0}""")
            );
            Add(
                $"underfit-mlp-{ds}-wd",
                "underfit_strong_l2",
                "underfitting",
                2,
                Recipe.Make("adam", "mlp", 400, $$"""{"dataset": "{{ds}}", "width": 16, "depth": 1, "lr": 0.01, "weight_decay": 1.0}""")
            );
        }

        foreach (var seed in new[] { 1, 2, 3, 4, 5 })
        {
            Add(
                $"underfit-logreg-iris-versicolor-s{seed}",
                "underfit_not_linearly_separable",
                "underfitting",
                2,
                Recipe.Make("gd", "logistic_regression", 400, """{"dataset": "iris", "positive_class": 1, "lr": 0.5}""", seed)
            );
            Add(
                $"underfit-mlp-digits-width1-s{seed}",
                "underfit_tiny_capacity",
                "underfitting",
                4,
                Recipe.Make("adam", "mlp", 1000, """{"width": 1, "depth": 1, "lr": 0.02, "validation_fraction": 0.5}""", seed)
            );
        }

        Add(
            "underfit-mlp-digits-deep-tanh",
            "underfit_deep_plain",
            "underfitting",
            2,
            Recipe.Make("sgd", "mlp", 300, """{"width": 32, "depth": 16, "activation": "tanh", "batch_size": 64, "lr": 0.1, "validation_fraction": 0.5}""")
        );
        Add(
            "underfit-mlp-digits-deep-sigmoid",
            "underfit_deep_plain",
            "underfitting",
            2,
            Recipe.Make("sgd", "mlp", 300, """{"width": 32, "depth": 8, "activation": "sigmoid", "batch_size": 64, "lr": 0.1, "validation_fraction": 0.5}""")
        );

        // G. oscillating: learning rate far too high for the batch size, but bounded (no blow-up).
        foreach (var seed in new[] { 1, 2, 3, 4, 5, 6, 7, 8 })
        {
            Add(
                $"osc-logreg-bc-sgd-lr20-s{seed}",
                "osc_high_lr_small_batch",
                "oscillating",
                1,
                Recipe.Make("sgd", "logistic_regression", 400, """{"lr": 20, "batch_size": 4}""", seed)
            );
            Add(
                $"osc-logreg-bc-sgd-lr5-s{seed}",
                "osc_high_lr_small_batch",
                "oscillating",
                1,
                Recipe.Make("sgd", "logistic_regression", 400, """{"lr": 5, "batch_size": 2}""", seed)
            );
            Add(
                $"osc-logreg-iris-sgd-s{seed}",
                "osc_high_lr_small_batch",
                "oscillating",
                1,
                Recipe.Make("sgd", "logistic_regression", 400, """{"dataset": "iris", "positive_class": 1, "lr": 10, "batch_size": 2}""", seed)
            );
            Add(
                $"osc-logreg-wine-sgd-s{seed}",
                "osc_high_lr_small_batch",
                "oscillating",
                1,
                Recipe.Make("sgd", "logistic_regression", 400, """{"dataset": "wine", "positive_class": 1, "lr": 10, "batch_size": 2}""", seed)
            );
            Add(
                $"osc-mlp-clip-s{seed}",
                "osc_high_lr_clipped",
                "oscillating",
                1,
                Recipe.Make("sgd", "mlp", 300, """{"dataset": "iris", "width": 16, "depth": 1, "lr": 10, "batch_size": 4}""", seed) with
                {
                    Clip = Clip(1.0),
                }
            );
            Add(
                $"osc-mlp-adam-s{seed}",
                "osc_high_lr_small_batch",
                "oscillating",
                1,
                Recipe.Make("adam", "mlp", 300, """{"dataset": "iris", "width": 16, "depth": 1, "lr": 1, "batch_size": 4}""", seed)
            );
        }

        // G2. oscillating with other optimizers and schedules: step sizes just under the blow-up limit, so the loss
        // bounces in a wide band far above its optimum instead of converging or exploding.
        foreach (var seed in new[] { 1, 2, 3, 4, 5, 6 })
        {
            Add(
                $"osc2-linreg-wine-sgd-lr0.2-s{seed}",
                "osc_sgd_least_squares",
                "oscillating",
                1,
                Recipe.Make("sgd", "linear_regression", 400, """{"dataset": "wine", "lr": 0.2, "batch_size": 2}""", seed)
            );
            Add(
                $"osc2-linreg-wine-sgd-lr0.25-s{seed}",
                "osc_sgd_least_squares",
                "oscillating",
                1,
                Recipe.Make("sgd", "linear_regression", 400, """{"dataset": "wine", "lr": 0.25, "batch_size": 2}""", seed)
            );
            Add(
                $"osc2-linreg-iris-sgd-lr0.3-s{seed}",
                "osc_sgd_least_squares",
                "oscillating",
                1,
                Recipe.Make("sgd", "linear_regression", 400, """{"dataset": "iris", "lr": 0.3, "batch_size": 2}""", seed)
            );
            Add(
                $"osc2-linreg-wine-mom-s{seed}",
                "osc_momentum_least_squares",
                "oscillating",
                1,
                Recipe.Make("sgd", "linear_regression", 400, """{"dataset": "wine", "lr": 0.03, "momentum": 0.9, "batch_size": 2}""", seed)
            );
            Add(
                $"osc2-softmax-iris-adam-lr1-s{seed}",
                "osc_adam_softmax",
                "oscillating",
                1,
                Recipe.Make("adam", "softmax_regression", 400, """{"dataset": "iris", "lr": 1, "batch_size": 4}""", seed)
            );
            Add(
                $"osc2-softmax-digits-adam-lr1-s{seed}",
                "osc_adam_softmax",
                "oscillating",
                1,
                Recipe.Make("adam", "softmax_regression", 300, """{"dataset": "digits", "lr": 1, "batch_size": 8}""", seed)
            );
            Add(
                $"osc2-softmax-iris-rmsprop-s{seed}",
                "osc_rmsprop",
                "oscillating",
                1,
                Recipe.Make("rmsprop", "softmax_regression", 400, """{"dataset": "iris", "lr": 1, "batch_size": 4, "eps": 1e-10}""", seed)
            );
            Add(
                $"osc2-logreg-bc-cyclic-s{seed}",
                "osc_cyclic_too_high",
                "oscillating",
                1,
                Recipe.Make(
                    "sgd",
                    "logistic_regression",
                    400,
                    """{"lr": 0.1, "batch_size": 8}""",
                    seed,
                    schedule: """{"name": "cyclic", "base_lr": 0.1, "max_lr": 30, "step_size_up": 20, "step_size_down": 20}"""
                )
            );
            Add(
                $"osc2-mlp-iris-cyclic-s{seed}",
                "osc_cyclic_too_high",
                "oscillating",
                1,
                Recipe.Make(
                    "sgd",
                    "mlp",
                    400,
                    """{"dataset": "iris", "width": 16, "depth": 1, "lr": 0.1, "batch_size": 4}""",
                    seed,
                    schedule: """{"name": "cyclic", "base_lr": 0.1, "max_lr": 5, "step_size_up": 20, "step_size_down": 20}"""
                ) with
                {
                    Clip = Clip(2.0),
                }
            );
        }

        // H. diverging: step size beyond the stability limit (2/L) of a quadratic, or an exploding network.
        foreach (var ds in new[] { "breast_cancer", "wine", "iris" })
        {
            Add(
                $"diverge-linreg-{ds}-lr1",
                "diverge_lr_above_2_over_L",
                "diverging",
                1,
                Recipe.Make("gd", "linear_regression", 100, $$"""{"dataset": "{{ds}}", "lr": 1.0}""")
            );
            Add(
                $"diverge-linreg-{ds}-raw",
                "diverge_lr_above_2_over_L",
                "diverging",
                1,
                Recipe.Make("gd", "linear_regression", 100, $$"""{"dataset": "{{ds}}", "lr": 0.001, "standardize": false}""")
            );
            Add(
                $"diverge-mlp-{ds}",
                "diverge_network",
                "diverging",
                1,
                Recipe.Make("sgd", "mlp", 100, $$"""{"dataset": "{{ds}}", "width": 16, "depth": 1, "lr": 2, "batch_size": 8}""")
            );
            Add(
                $"diverge-mlp-momentum-{ds}",
                "diverge_network",
                "diverging",
                1,
                Recipe.Make("sgd", "mlp", 100, $$"""{"dataset": "{{ds}}", "width": 32, "depth": 2, "lr": 1, "momentum": 0.99}""")
            );
        }

        // I. overfitting: a small training split and no regularization, trained long.
        foreach (var seed in new[] { 1, 2, 3, 4, 5 })
        {
            Add(
                $"overfit-logreg-bc-vf0.9-s{seed}",
                "overfit_small_split_linear",
                "overfitting",
                2,
                Recipe.Make("gd", "logistic_regression", 1000, """{"lr": 1.0, "validation_fraction": 0.9}""", seed)
            );
            Add(
                $"overfit-softmax-wine-vf0.85-s{seed}",
                "overfit_small_split_linear",
                "overfitting",
                2,
                Recipe.Make("adam", "softmax_regression", 1000, """{"dataset": "wine", "lr": 0.05, "validation_fraction": 0.85}""", seed)
            );
            Add(
                $"overfit-mlp-digits-w64-s{seed}",
                "overfit_wide_mlp_small_split",
                "overfitting",
                2,
                Recipe.Make("adam", "mlp", 400, """{"width": 64, "depth": 2, "lr": 0.003, "validation_fraction": 0.9}""", seed)
            );
            Add(
                $"overfit-mlp-bc-w64-s{seed}",
                "overfit_wide_mlp_small_split",
                "overfitting",
                2,
                Recipe.Make("adam", "mlp", 600, """{"dataset": "breast_cancer", "width": 64, "depth": 2, "lr": 0.01, "validation_fraction": 0.8}""", seed)
            );
        }

        // H2. healthy and slow on other training splits (the seed draws the split and the batches).
        foreach (var seed in new[] { 2, 3 })
        {
            Add(
                $"healthy-logreg-breast_cancer-l2-0.01-s{seed}",
                "healthy_logreg_l2",
                "healthy_convergence",
                2,
                Recipe.Make("gd", "logistic_regression", 800, """{"lr": 1.0, "l2": 0.01}""", seed)
            );
            Add(
                $"healthy-mlp-adam-wine-s{seed}",
                "healthy_mlp",
                "healthy_convergence",
                2,
                Recipe.Make("adam", "mlp", 600, """{"dataset": "wine", "width": 16, "depth": 1, "lr": 0.01, "weight_decay": 0.003}""", seed)
            );
            Add(
                $"slow-linreg-breast_cancer-s{seed}",
                "slow_tiny_lr",
                "slow_progress",
                1,
                Recipe.Make("gd", "linear_regression", 300, """{"dataset": "breast_cancer", "lr": 0.00003}""", seed)
            );
            Add(
                $"slow-logreg-wine-s{seed}",
                "slow_tiny_lr",
                "slow_progress",
                1,
                Recipe.Make("gd", "logistic_regression", 300, """{"dataset": "wine", "positive_class": 1, "lr": 0.0001}""", seed)
            );
            Add(
                $"improving-logreg-wine-lr0.003-s{seed}",
                "improving_small_lr",
                "still_improving",
                1,
                Recipe.Make("gd", "logistic_regression", 400, """{"dataset": "wine", "positive_class": 1, "lr": 0.003}""", seed)
            );
            Add(
                $"improving-softmax-iris-sgd-s{seed}",
                "improving_small_lr",
                "still_improving",
                1,
                Recipe.Make("sgd", "softmax_regression", 300, """{"dataset": "iris", "lr": 0.01}""", seed)
            );
            Add(
                $"diverge-linreg-wine-lr1-s{seed}",
                "diverge_lr_above_2_over_L",
                "diverging",
                1,
                Recipe.Make("gd", "linear_regression", 100, """{"dataset": "wine", "lr": 1.0}""", seed)
            );
        }

        // J. insufficient_data: runs stopped after a handful of steps.
        foreach (var ds in new[] { "breast_cancer", "wine", "iris" })
        {
            Add(
                $"insufficient-logreg-{ds}",
                "insufficient_few_steps",
                "insufficient_data",
                1,
                Recipe.Make("gd", "logistic_regression", 10, $$"""{"dataset": "{{ds}}", "positive_class": 1, "lr": 0.5}""")
            );
            Add(
                $"insufficient-softmax-{ds}",
                "insufficient_few_steps",
                "insufficient_data",
                1,
                Recipe.Make("sgd", "softmax_regression", 12, $$"""{"dataset": "{{ds}}", "lr": 0.1}""")
            );
            Add(
                $"insufficient-mlp-{ds}",
                "insufficient_few_steps",
                "insufficient_data",
                1,
                Recipe.Make("adam", "mlp", 15, $$"""{"dataset": "{{ds}}", "width": 16, "depth": 1, "lr": 0.01}""")
            );
        }

        return r;
    }
}
