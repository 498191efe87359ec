using System.Text.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Experiments;

/// <summary>The gallery of named experiments that show one factor each.</summary>
public static class ExperimentPresets
{
    /// <summary>All presets.</summary>
    public static IReadOnlyList<ExperimentPreset> All { get; } =
    [
        new(
            "lr-too-high",
            "GD on an ill-conditioned quadratic with lr above 2/L: the loss diverges.",
            Spec("gd", "quadratic", 50, """{"lr": 0.21, "condition_number": 10}"""),
            Expect(
                "diverging",
                null,
                "exploding",
                "GD on a quadratic diverges when lr > 2/L: every step multiplies the error along the top eigenvector by |1 − lr·L| = 1.1, so loss and gradient grow geometrically"
            )
        ),
        new(
            "lr-too-low",
            "GD with lr 5·10⁻⁵, 3600× below 2/(L+μ): linear convergence with a rate so close to 1 that 200 steps remove only ≈17 % of the loss, still falling almost in a straight line.",
            Spec("gd", "quadratic", 200, """{"lr": 5e-5, "condition_number": 10}"""),
            Expect(
                "slow_progress",
                "linear",
                "healthy",
                "GD on a strongly convex quadratic converges linearly with c = 1 − lr·μ; with lr 1000× below 2/(L+μ), c is close to 1 and the loss is still falling steadily at the end (seed: too-low lr → slow progress, increase the learning rate)"
            )
        ),
        new(
            "lr-just-right",
            "GD with lr = 2/(L+μ): the fastest contraction (κ−1)/(κ+1).",
            Spec("gd", "quadratic", 50, """{"lr": 0.18181818181818182, "condition_number": 10}"""),
            Expect("healthy_convergence", "linear", "healthy", "lr = 2/(L+μ) gives the fastest linear contraction (κ−1)/(κ+1) on a strongly convex quadratic")
        ),
        new(
            "saddle-gd-stuck",
            "Plain GD started on the saddle's stable manifold converges to the saddle.",
            Spec("gd", "saddle", 200, """{"lr": 0.05}"""),
            Expect(
                "underfitting",
                null,
                "vanishing",
                "GD started on the stable manifold of a strict saddle converges to the saddle: the gradient vanishes and the loss plateaus at 0, far above the minimum −1 (seed: saddle point stall)",
                "saddle_point_stall"
            )
        ),
        new(
            "saddle-noise-escape",
            "The same GD with N(0, 0.01²) gradient noise leaves the manifold and falls into a minimum.",
            Spec("gd", "saddle", 200, """{"lr": 0.05, "gradient_noise": 0.01}"""),
            Expect(
                "healthy_convergence",
                null,
                "healthy",
                "gradient noise moves the iterate off the saddle's stable manifold; the negative curvature then drives it into a minimum (Ge et al. 2015): no failure remains"
            )
        ),
        new(
            "saddle-momentum-escape",
            "Noise pushes SGD with momentum off the stable manifold into a minimum.",
            Spec("sgd", "saddle", 200, """{"lr": 0.05, "momentum": 0.9, "gradient_noise": 0.01}"""),
            Expect("healthy_convergence", null, "healthy", "noise plus momentum escape the saddle and converge to a minimum: no failure remains")
        ),
        new(
            "rosenbrock-newton",
            "Newton's method with an Armijo line search on Rosenbrock's valley from (−1.2, 1): damped steps through the bend, then full steps that square the error.",
            Spec("newton", "rosenbrock", 21, """{"line_search": true}"""),
            Expect(
                "healthy_convergence",
                "quadratic",
                "healthy",
                "Newton's method converges quadratically once the full step is accepted near a minimum with a Lipschitz, positive-definite Hessian (Nocedal & Wright, Thm 3.5): ‖e_{t+1}‖ ≤ M‖e_t‖²"
            )
        ),
        new(
            "nonconvex-start-global-min",
            "GD on the tilted double well x² − y² + y⁴/4 + 0.3y (non-convex) started at y = −0.5: it falls into the global minimum (y ≈ −1.49, f ≈ −1.43).",
            Spec("gd", "saddle", 150, """{"lr": 0.05, "tilt": 0.3, "start_y": -0.5}"""),
            Expect(
                "healthy_convergence",
                "linear",
                "healthy",
                "GD converges linearly to the strict minimum of the basin it starts in; here that basin holds the global minimum"
            )
        ),
        new(
            "nonconvex-start-local-min",
            "The same GD and problem started at y = +0.5: it falls into the other, local minimum (y ≈ 1.34, f ≈ −0.59) and stays 0.85 above the global one — on a non-convex problem the result depends on the start.",
            Spec("gd", "saddle", 150, """{"lr": 0.05, "tilt": 0.3, "start_y": 0.5}"""),
            Expect(
                "underfitting",
                "linear",
                "healthy",
                "GD converges linearly to the local minimum of its own basin and cannot leave it: the loss plateaus 0.85 above the known global optimum f* (a high plateau; the Hessian there is positive definite, yet loss and gradient norm alone cannot tell it from a saddle, so the stall detector reports the vanished gradient at a high loss as saddle_point_stall)",
                "saddle_point_stall"
            )
        ),
        new(
            "rosenbrock-lbfgs",
            "L-BFGS with strong-Wolfe line search on Rosenbrock's valley.",
            Spec("lbfgs", "rosenbrock", 40, """{"max_iter": 1, "history_size": 10}"""),
            Expect(
                "healthy_convergence",
                "superlinear",
                "healthy",
                "quasi-Newton methods with a Wolfe line search converge superlinearly near the minimum (Nocedal & Wright, Thm 6.6)"
            )
        ),
        new(
            "raw-vs-standardized",
            "Least squares on raw wine features: an elongated valley that GD crawls along.",
            Spec("gd", "linear_regression", 200, """{"lr": 1e-7, "standardize": false}"""),
            Expect(
                "slow_progress",
                "linear",
                "healthy",
                "least squares on raw features is a quadratic with a huge condition number: GD converges linearly with c = 1 − lr·λ_min ≈ 1, crawling along the valley"
            )
        ),
        new(
            "standardized-features",
            "The same least squares on standardized features: a round valley, a 10⁶ times larger lr, fast convergence.",
            Spec("gd", "linear_regression", 200, """{"lr": 0.1, "standardize": true}"""),
            Expect(
                "healthy_convergence",
                "linear",
                "healthy",
                "standardized least squares is a well-conditioned strongly convex quadratic: GD converges linearly and settles"
            )
        ),
        new(
            "constant-lr-noise-band",
            "SGD with batch 4 and a constant lr 2: the loss stalls in a noise band (≈0.16 over the last 100 steps).",
            Spec("sgd", "logistic_regression", 500, """{"lr": 2.0, "batch_size": 4}"""),
            Expect(
                "oscillating",
                null,
                "healthy",
                "SGD with a constant lr does not converge: it settles in a noise band around the minimum whose width is proportional to lr (Bottou, Curtis & Nocedal 2018); not overfitting — validation moves with training; decay the lr",
                "oscillation_constant_lr"
            )
        ),
        new(
            "decaying-lr",
            "The same SGD with lr·t₀/(t₀ + t), t₀ = 20: the band shrinks and the loss keeps falling (≈0.06).",
            Spec("sgd", "logistic_regression", 500, """{"lr": 2.0, "batch_size": 4}""", schedule: """{"name": "inverse_time", "t0": 20}"""),
            Expect("healthy_convergence", "sublinear", "healthy", "SGD with a Robbins–Monro decay lr·t₀/(t₀+t) converges, at a sublinear O(1/t) rate")
        ),
        new(
            "batch-small",
            "SGD on an MLP (digits) with batch 32 and lr 0.05: the reference for the batch-size presets.",
            Spec("sgd", "mlp", 200, Mlp("""{"lr": 0.05, "batch_size": 32}""")),
            Expect("still_improving", null, "healthy", "mini-batch SGD on an MLP stopped after 200 steps while the loss still falls")
        ),
        new(
            "batch-large-no-scaling",
            "Batch 256 with the same lr 0.05: 8× the data per step buys almost nothing per step over batch 32.",
            Spec("sgd", "mlp", 200, Mlp("""{"lr": 0.05, "batch_size": 256}""")),
            Expect("still_improving", null, "healthy", "8× the batch at the same lr makes about the same progress per step: still falling after 200 steps")
        ),
        new(
            "batch-large-linear-scaling",
            "Batch 256 with lr 0.4 (linear scaling rule: lr × 256/32): the same 200 steps reach a far lower loss.",
            Spec("sgd", "mlp", 200, Mlp("""{"lr": 0.4, "batch_size": 256}""")),
            Expect(
                "healthy_convergence",
                null,
                "healthy",
                "linear scaling of the lr with the batch (Goyal et al. 2017) reaches the low plateau within 200 steps"
            )
        ),
        new(
            "overfitting-wide-mlp-tiny-subset",
            "A 256-wide MLP (≈85,000 weights) trained full-batch at lr 0.5 on 50 digits: the training loss goes to ≈5·10⁻⁴ while the validation loss bottoms out at ≈0.83 (step 40) and climbs ≈14 % above it.",
            Spec("sgd", "mlp", 400, """{"width": 256, "depth": 2, "lr": 0.5, "train_size": 50}"""),
            Expect(
                "overfitting",
                null,
                "healthy",
                "with far more parameters than rows the network memorizes the training set (Zhang et al. 2017): training loss → 0, and once the training rows are fitted, growing confidence on the held-out mistakes makes the validation loss rise from its minimum (seed: overfitting → early stopping, more data, regularization)"
            )
        ),
        new(
            "oscillating-high-lr-noisy-labels",
            "Softmax regression on digits with 30 % of the training labels flipped, SGD batch 16 at lr 5, far above the stability limit: the loss jumps up and down with no downward trend.",
            Spec("sgd", "softmax_regression", 300, """{"lr": 5.0, "batch_size": 16, "label_noise": 0.3, "dataset": "digits"}"""),
            Expect(
                "oscillating",
                null,
                "healthy",
                "a step far above 2/L on noisy mini-batch gradients overshoots every batch's minimum: the loss swings wildly around a high level without converging; the cross-entropy gradient is bounded, so it does not diverge (seed: oscillating → lower the lr, decay it)",
                "oscillation_constant_lr"
            )
        ),
        new(
            "underfitting-bottleneck",
            "The digits MLP squeezed through 2 hidden units: training and validation loss level off together near 1.5, where the 32-wide network reaches ≈0.02.",
            Spec("sgd", "mlp", 600, """{"width": 2, "depth": 2, "lr": 0.5, "batch_size": 64}"""),
            Expect(
                "underfitting",
                null,
                "healthy",
                "two hidden units cannot separate ten classes: the model's best loss is high, so training and validation loss converge together to a high plateau (seed: underfitting → more capacity, less regularization)"
            )
        ),
        new(
            "slow-progress-poor-init",
            "A 4-layer tanh MLP whose weights are drawn N(0, 0.05²) — a fine lr (0.1), a poor initialization: the network starts next to the saddle at the origin and 200 steps take the loss only from 2.303 to ≈2.27.",
            Spec("sgd", "mlp", 200, Deep("tanh", 4), "normal", initExtra: ", \"std\": 0.05"),
            Expect(
                "slow_progress",
                null,
                "healthy",
                "with near-zero weights the network starts next to the saddle at the origin: the output is near-uniform and every layer's gradient is small (measured: within a factor 3 of each other across the 4 layers, so small everywhere rather than vanishing towards the input); learning time grows as the initial scale shrinks (Saxe et al. 2014), so the loss falls slowly and steadily, still far from converged"
            )
        ),
        new(
            "premature-convergence-fast-decay",
            "The digits MLP with lr 0.1 decayed ×0.9 every step: Σ lr = 1, so training freezes after the equivalent of 10 steps, at a high loss.",
            Spec("sgd", "mlp", 300, Mlp("""{"lr": 0.1, "batch_size": 64}"""), schedule: """{"name": "exponential", "gamma": 0.9}"""),
            Expect(
                "underfitting",
                null,
                "healthy",
                "a step size whose sum converges (Σ η_t < ∞ breaks the Robbins–Monro condition) stops the iterate a finite distance from any minimum: the loss freezes high while the lr decays to 0 (seed: premature convergence → warm restarts or a cyclical schedule)",
                "premature_convergence"
            )
        ),
        new(
            "premature-rescued-warm-restarts",
            "The same MLP with SGDR (cosine annealing with warm restarts every 50 steps, lr 0.1): each restart resumes the descent, and the loss ends far below premature-convergence-fast-decay.",
            Spec("sgd", "mlp", 300, Mlp("""{"lr": 0.1, "batch_size": 64}"""), schedule: """{"name": "cosine_warm_restarts", "T_0": 50}"""),
            Expect(
                "still_improving",
                null,
                "healthy",
                "warm restarts return the lr to its peak every 50 steps (Loshchilov & Hutter 2017), so the step sizes sum to infinity and the descent never freezes: the loss keeps falling, lower at each restart's end"
            )
        ),
        new(
            "premature-rescued-cyclic",
            "The same MLP with a triangular cyclical lr between 0.01 and 0.2 (25 steps up, 25 down): the loss keeps falling where the decayed run froze.",
            Spec(
                "sgd",
                "mlp",
                300,
                Mlp("""{"batch_size": 64}"""),
                schedule: """{"name": "cyclic", "base_lr": 0.01, "max_lr": 0.2, "step_size_up": 25, "step_size_down": 25}"""
            ),
            Expect(
                "still_improving",
                null,
                "healthy",
                "a cyclical lr (Smith 2017) keeps the step size bounded below by base_lr: the descent never freezes and the loss keeps falling"
            )
        ),
        new(
            "adam-fails-reddi",
            "Adam (β₁ = 0, β₂ = 1/(1 + C²) = 0.1, α/√t) on the online problem of Reddi, Kale & Kumar (2018) with C = 3: it drifts to x = +1, the worst point of [−1, 1], and its average loss climbs to +1/3 instead of the optimum −1/3.",
            Spec("adam", "reddi_counterexample", 600, """{"lr": 0.5, "betas": [0.0, 0.1]}""", schedule: """{"name": "inverse_sqrt"}"""),
            Expect(
                "underfitting",
                null,
                "healthy",
                "Reddi et al. (2018), Thm 1: the large gradient C arrives once every three steps and Adam's short second-moment memory forgets it, so two small steps up outweigh one step down; x converges to +1, where the loss plateaus 2/3 above F* (non-zero average regret)"
            )
        ),
        new(
            "amsgrad-converges-reddi",
            "AMSGrad on the same problem: the running maximum of the second moment keeps the large gradient's scale, and x converges to the optimum −1.",
            Spec("adam", "reddi_counterexample", 600, """{"lr": 0.5, "betas": [0.0, 0.1], "amsgrad": true}""", schedule: """{"name": "inverse_sqrt"}"""),
            Expect(
                "healthy_convergence",
                "sublinear",
                "healthy",
                "AMSGrad's non-increasing effective step size restores convergence (Reddi et al. 2018, Thm 4): x reaches −1, and with α/√t the remaining jitter above F* shrinks like O(1/√t)"
            )
        ),
        new(
            "perceptron-separable-iris",
            "The perceptron on setosa vs versicolor (linearly separable): a pass without a mistake after a few epochs, with fewer updates than Novikoff's bound R²/γ².",
            new ExperimentSpec
            {
                Solver = "perceptron",
                Problem = "iris",
                Steps = 1000,
                Hyperparameters = Parse("""{"positive_class": 0, "negative_class": 1}""")!,
            },
            Expect(
                "healthy_convergence",
                null,
                "unknown",
                "Novikoff (1962): on data separable with margin γ inside a ball of radius R the perceptron makes at most R²/γ² mistakes, then a full pass without one: training error 0, converged"
            )
        ),
        new(
            "init-naive-deep-sigmoid",
            "8 sigmoid layers drawn from the naive small N(0, 0.1²) whatever their size; compare per-layer grad norms with the Xavier run.",
            Spec("sgd", "mlp", 100, Deep("sigmoid"), "normal", initExtra: ", \"std\": 0.1"),
            Expect(
                "underfitting",
                null,
                "vanishing",
                "with small naive weights every sigmoid layer multiplies the backpropagated gradient by about σ′(0)·std·√width = 0.25·0.1·8 = 0.2, so it vanishes geometrically towards the input (Glorot & Bengio 2010); the loss stays near chance"
            )
        ),
        new(
            "init-xavier-deep-sigmoid",
            "The same network with xavier_uniform: grad norms shrink ≈4× per layer towards layer0 (sigmoid slope ≤ ¼): vanishing gradients.",
            Spec("sgd", "mlp", 100, Deep("sigmoid"), "xavier_uniform"),
            Expect(
                "underfitting",
                null,
                "vanishing",
                "even with Xavier init, sigmoid's slope ≤ ¼ shrinks the gradient ≈4× per layer: vanishing gradients, the loss stays near chance (ln 10)"
            )
        ),
        new(
            "init-naive-deep-relu",
            "8 ReLU layers drawn N(0, 1): activations, loss and grad norms explode (≈10⁵ × He at step 1).",
            Spec("sgd", "mlp", 100, Deep("relu", lr: 1e-6), "normal"),
            Expect(
                "underfitting",
                null,
                "exploding",
                "8 ReLU layers drawn N(0, 1) multiply the activations by ≈ √(fan_in/2) per layer: activations, loss and gradients explode; the loss stays thousands of times above chance (He et al. 2015)"
            )
        ),
        new(
            "init-he-deep-relu",
            "The same ReLU network with kaiming_normal (He): grad norms of the same order in every layer.",
            Spec("sgd", "mlp", 100, Deep("relu"), "kaiming_normal"),
            Expect(
                "still_improving",
                null,
                "healthy",
                "He init keeps the variance of activations and gradients constant across ReLU layers: the network trains, still falling after 100 steps"
            )
        ),
        new(
            "deep-plain",
            "A 16-layer tanh network, nn.Linear default init: the loss stays near ln 10.",
            Spec("sgd", "mlp", 150, Deep("tanh", 16)),
            Expect(
                "underfitting",
                null,
                "vanishing",
                "16 tanh layers with nn.Linear's default init shrink the signal and its gradient at every layer: the early layers get vanishing gradients and the loss stays near ln 10"
            )
        ),
        new(
            "deep-residual",
            "The same 16 layers with residual connections: gradients flow through the skips.",
            Spec("sgd", "mlp", 150, Deep("tanh", 16, extra: ", \"residual\": true")),
            Expect(
                "healthy_convergence",
                null,
                "healthy",
                "skip connections carry the gradient to every layer (He et al. 2016): the same network trains to a low plateau"
            )
        ),
        new(
            "deep-layernorm",
            "The same 16 layers with layer normalization, trained 400 steps with cosine annealing (at a constant lr the training loss keeps creeping down while the validation loss turns: no plateau to reach).",
            Spec("sgd", "mlp", 400, Deep("tanh", 16, extra: ", \"layer_norm\": true"), schedule: """{"name": "cosine", "T_max": 400}"""),
            Expect(
                "healthy_convergence",
                null,
                "healthy",
                "layer normalization keeps every layer's activations at unit scale (Ba et al. 2016): the network trains to its plateau"
            )
        ),
        new(
            "deep-batchnorm",
            "The same 16 tanh layers with batch normalization before each activation, trained 400 steps with cosine annealing (a constant lr leaves the batch statistics' noise bouncing the loss at the end).",
            Spec("sgd", "mlp", 400, Deep("tanh", 16, extra: ", \"batch_norm\": true"), schedule: """{"name": "cosine", "T_max": 400}"""),
            Expect(
                "healthy_convergence",
                null,
                "healthy",
                "batch normalization re-centres and re-scales every unit over the batch (Ioffe & Szegedy 2015), keeping activations out of tanh's flat tails and the gradient alive in every layer: the network trains to its plateau"
            )
        ),
        new(
            "async-sync-baseline",
            "Synchronous SGD on logistic regression, 8 workers × 2 rows, lr 3: every update is a fresh 16-row gradient (the rows asynchronous SGD with τ = 0 would use); the reference for the staleness presets.",
            Spec("sync_sgd", "logistic_regression", 200, """{"lr": 3.0, "workers": 8, "batch_size": 2}"""),
            Expect("healthy_convergence", null, "unknown", "synchronous SGD with fresh 16-row gradients converges on a convex logistic regression")
        ),
        new(
            "async-staleness-hurts",
            "Asynchronous SGD, 8 workers × 16 rows per update with a 4× straggler and τ = 32, same lr and number of updates: stale gradients end at a loss several times that of async-sync-baseline (staleness logged per step).",
            Spec("async_sgd", "logistic_regression", 200, """{"lr": 3.0, "workers": 8, "batch_size": 16, "max_staleness": 32, "straggler": 4}"""),
            Expect(
                "still_improving",
                null,
                "unknown",
                "stale gradients slow asynchronous SGD (Lian et al. 2015): after the same number of updates the loss is still falling, several times above the synchronous run"
            )
        ),
        new(
            "async-staleness-aware",
            "The same asynchronous run with lr/(1 + staleness): damped stale steps recover most of the gap to async-sync-baseline.",
            Spec(
                "async_sgd",
                "logistic_regression",
                200,
                """{"lr": 3.0, "workers": 8, "batch_size": 16, "max_staleness": 32, "straggler": 4, "staleness_aware": true}"""
            ),
            Expect("still_improving", null, "unknown", "lr/(1+staleness) damps stale steps: converging, most of the gap recovered, still falling")
        ),
        new(
            "topk-no-feedback",
            "Softmax regression, 4 workers sending the top 1% of coordinates without error feedback: the dropped mass is lost for good.",
            Spec(
                "sync_sgd",
                "softmax_regression",
                200,
                """{"lr": 0.5, "workers": 4, "compression": "topk", "k_fraction": 0.01, "error_feedback": false, "dataset": "digits"}"""
            ),
            Expect(
                "still_improving",
                null,
                "unknown",
                "top-k without error feedback is a biased compressor: progress slows as the dropped mass is lost (Stich et al. 2018)"
            )
        ),
        new(
            "topk-error-feedback",
            "The same top-1% messages with error feedback: the residual is sent later and the loss ends far lower than topk-no-feedback (bytes_up ~1/60 of dense; bytes_down stays dense).",
            Spec(
                "sync_sgd",
                "softmax_regression",
                200,
                """{"lr": 0.5, "workers": 4, "compression": "topk", "k_fraction": 0.01, "error_feedback": true, "dataset": "digits"}"""
            ),
            Expect(
                "healthy_convergence",
                null,
                "unknown",
                "error feedback makes top-k converge like uncompressed SGD (Stich et al. 2018; Karimireddy et al. 2019)"
            )
        ),
        new(
            "qsgd-4-levels",
            "Softmax regression on digits with QSGD at s = 4: unbiased 4-bit messages, bytes_up ~1/16 of dense (bytes_down stays dense).",
            Spec("sync_sgd", "softmax_regression", 200, """{"lr": 0.5, "workers": 4, "compression": "qsgd", "levels": 4, "dataset": "digits"}"""),
            Expect(
                "healthy_convergence",
                null,
                "unknown",
                "QSGD is unbiased with bounded variance (Alistarh et al. 2017): it converges like SGD with more noise; on this strongly convex problem 200 steps deliver its drop (the earlier row's 'still falling' was not measured: the last quarter makes 0.3 % of the drop)"
            )
        ),
        new(
            "async-staleness-sweep",
            "Asynchronous SGD on logistic regression (8 workers × 16 rows, a 4× straggler, lr 0.3, no rows held out: the sweep compares optimization, not generalization; L2 0.01 so that a finite minimizer exists — without it the near-separable data pull the weights to infinity and the validation loss turns up) with the staleness bound τ swept over 0, 2, 8 and 32: every bounded staleness converges to the same regularized minimum (loss ≈0.101).",
            Spec(
                "async_sgd",
                "logistic_regression",
                400,
                """{"lr": 0.3, "workers": 8, "batch_size": 16, "straggler": 4, "max_staleness": [0, 2, 8, 32], "l2": 0.01, "validation_fraction": 0}"""
            ),
            Expect(
                "healthy_convergence",
                null,
                "unknown",
                "with bounded staleness τ and a step size small enough for it, asynchronous SGD converges on a smooth convex problem at SGD's rate, the delay costing a factor that grows with τ (Agarwal & Duchi 2011; Lian et al. 2015)"
            )
        ),
        new(
            "em-iris",
            "EM for a 3-component full-covariance Gaussian mixture on iris: the log-likelihood climbs monotonically.",
            Spec("gmm", "iris", 100, """{"n_components": 3, "tol": 1e-6}"""),
            Expect(
                "healthy_convergence",
                "linear",
                "unknown",
                "EM increases the likelihood monotonically and converges linearly, at a rate set by the fraction of missing information (Dempster, Laird & Rubin 1977)"
            )
        ),
        new(
            "kmeans-iris",
            "k-means++ with 10 restarts on iris reaches inertia 78.851441426146.",
            Spec("kmeans", "iris", 300, """{"n_clusters": 3}"""),
            Expect(
                "healthy_convergence",
                null,
                "unknown",
                "Lloyd's algorithm never increases the inertia and stops after finitely many iterations (the partitions are finite)"
            )
        ),
    ];

    private static PresetExpectation Expect(string pattern, string? rate, string gradients, string why, params string[] failures) =>
        new(pattern, rate, failures, gradients, why);

    private static string Mlp(string hyperparameters) => hyperparameters.Replace("{", """{"width": 32, "depth": 2, """, StringComparison.Ordinal);

    private static string Deep(string activation, int depth = 8, double lr = 0.1, string extra = "") =>
        $$"""{"width": 32, "depth": {{depth}}, "activation": "{{activation}}", "batch_size": 64, "lr": {{lr:R}}{{extra}}}""";

    private static ExperimentSpec Spec(
        string solver,
        string problem,
        int steps,
        string hyperparameters,
        string? init = null,
        string? schedule = null,
        string initExtra = ""
    ) =>
        new()
        {
            Solver = solver,
            Problem = problem,
            Steps = steps,
            EvalEvery = problem == "mlp" ? 10 : 1,
            Hyperparameters = Parse(hyperparameters)!,
            Init = init is null ? null : Parse($$"""{"name": "{{init}}"{{initExtra}}}"""),
            Schedule = schedule is null ? null : Parse(schedule),
        };

    private static Dictionary<string, JsonElement>? Parse(string json) =>
        JsonSerializer.Deserialize(json, ExperimentJsonContext.Default.DictionaryStringJsonElement);
}
