using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Json;
using Tracker.Compute.Classic;
using Tracker.Compute.Compute;
using Tracker.Compute.Optimizers;
using Tracker.Compute.Problems;
using Tracker.Compute.Schedules;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Experiments;

/// <summary>Runs a validated <see cref="ExperimentSpec"/> deterministically, emitting its metric points to an <see cref="IMetricSink"/>.</summary>
/// <remarks>Logs <c>loss</c> (step 0 = start), <c>val_loss</c>, <c>val_accuracy</c> for classifiers, <c>grad_norm/&lt;layer&gt;</c> for networks, <c>lr</c>, <c>grad_norm/total</c>, <c>param_delta_norm</c>, <c>suboptimality</c> / <c>dist_to_opt</c> where the problem knows its optimum, and <c>loss</c> plus <c>inertia</c> / <c>mistakes</c> / <c>novikoff_bound</c> / <c>log_likelihood</c> / <c>converged</c> for classic algorithms.</remarks>
public static class ExperimentRunner
{
    /// <summary>Runs the experiment to completion (or cancellation); throws <see cref="ArgumentException"/> for an invalid spec.</summary>
    public static void Run(ExperimentSpec spec, IMetricSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sink);
        var errors = ExperimentCatalog.Validate(spec);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.SelectMany(e => e.Value)), nameof(spec));
        }

        var p = new SpecValues(
            spec.Hyperparameters ?? [],
            ExperimentCatalog.Solver(spec.Solver)!.Parameters.Concat(ExperimentCatalog.Problem(spec.Problem)?.Parameters ?? [])
        );
        switch (spec.Solver)
        {
            case "kmeans":
                RunKMeans(spec, p, sink, cancellationToken);
                return;
            case "perceptron":
                RunPerceptron(spec, p, sink, cancellationToken);
                return;
            case "gmm":
                RunGaussianMixture(spec, p, sink, cancellationToken);
                return;
            case "sync_sgd" or "async_sgd":
                Distributed.DistributedExperiment.Run(spec, p, sink, cancellationToken);
                return;
        }

        var problem = ExperimentProblems.Create(spec, p);
        switch (problem)
        {
            case MlpProblem<double> network:
                network.Network.Cancellation = cancellationToken;
                break;
            case MlpProblem<float> network:
                network.Network.Cancellation = cancellationToken;
                break;
        }

        // A float32 network is stepped in float32 (parameters, gradient and optimizer state), as PyTorch does; the
        // second-order solvers work in double.
        if (problem is MlpProblem<float> single && spec.Solver is not ("newton" or "lbfgs"))
        {
            RunSteps(spec, p, problem, new SingleTarget(single), sink, cancellationToken);
        }
        else
        {
            RunSteps(spec, p, problem, new DoubleTarget(problem), sink, cancellationToken);
        }
    }

    private static void RunSteps<T>(
        ExperimentSpec spec,
        SpecValues p,
        ReferenceProblem problem,
        ITarget<T> target,
        IMetricSink sink,
        CancellationToken cancellationToken
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(spec.Seed);
        var n = problem.Dimension;
        var x = new T[n];
        var previous = new T[n];
        var g = new T[n];
        if (typeof(T) == typeof(double))
        {
            problem.InitialPoint(MemoryMarshal.Cast<T, double>(x.AsSpan()), rng);
        }
        else
        {
            var start = new double[n];
            problem.InitialPoint(start, rng);
            TensorPrimitives.ConvertTruncating(start, x.AsSpan());
        }

        var schedule = CreateSchedule(spec.Schedule, out var scheduleLr);
        var baseLr = scheduleLr ?? p.Number("lr");
        var maxNorm = spec.Clip is { } c && c.TryGetValue("max_norm", out var m) ? m.GetDouble() : 0;
        var clipValue = spec.Clip is { } c2 && c2.TryGetValue("clip_value", out var v) ? v.GetDouble() : 0;
        var step = CreateStepper<T>(spec.Solver, p, problem, n, baseLr, cancellationToken);

        var layers = problem.Layers;
        var layerKeys = layers.Select(l => $"grad_norm/{l.Name}").ToArray();
        var loss0 = target.Loss(x);
        sink.Log(0, "loss", loss0);
        LogOptimum(0, problem, x, loss0, sink);
        if (problem.HasValidation)
        {
            LogValidation(0, problem, target, x, sink);
        }

        var parameterSink = sink as IParameterSink;
        parameterSink?.OnParameters<T>(0, x);
        for (var t = 1; t <= spec.Steps; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lr = schedule.At(t - 1, baseLr);
            x.CopyTo(previous, 0);
            problem.NextBatch(rng);
            target.Evaluate(x, g);
            var gradNorm = double.CreateTruncating(TensorPrimitives.Norm<T>(g));
            for (var l = 0; l < layers.Count; l++)
            {
                sink.Log(t, layerKeys[l], double.CreateTruncating(TensorPrimitives.Norm<T>(g.AsSpan(layers[l].Offset, layers[l].Length))));
            }

            var applied = step(x, g, lr, maxNorm, clipValue);
            if (typeof(T) == typeof(double))
            {
                problem.Project(MemoryMarshal.Cast<T, double>(x.AsSpan()));
            }

            TensorPrimitives.Subtract<T>(x, previous, previous);
            sink.Log(t, "lr", applied);
            sink.Log(t, "grad_norm/total", gradNorm);
            sink.Log(t, "param_delta_norm", double.CreateTruncating(TensorPrimitives.Norm<T>(previous)));
            var loss = target.Loss(x);
            sink.Log(t, "loss", loss);
            LogOptimum(t, problem, x, loss, sink);
            if (problem.HasValidation && (t % Math.Max(1, spec.EvalEvery) == 0 || t == spec.Steps))
            {
                var valLoss = LogValidation(t, problem, target, x, sink);
                (schedule as ReduceLROnPlateauSchedule)?.Observe(valLoss);
            }
            else if (!problem.HasValidation)
            {
                // Without validation data the plateau schedule monitors the training loss, every step.
                (schedule as ReduceLROnPlateauSchedule)?.Observe(loss);
            }

            parameterSink?.OnParameters<T>(t, x);
        }
    }

    /// <summary>Logs <c>suboptimality</c> f − f* and <c>dist_to_opt</c> ‖x − x*‖ (nearest minimizer) where the problem knows its optimum.</summary>
    internal static void LogOptimum<T>(long step, ReferenceProblem problem, T[] x, double loss, IMetricSink sink)
        where T : unmanaged
    {
        if (problem.OptimalLoss is { } optimum)
        {
            sink.Log(step, "suboptimality", loss - optimum);
        }

        if (typeof(T) == typeof(double) && problem.DistanceToOptimum(MemoryMarshal.Cast<T, double>(x.AsSpan())) is var distance && !double.IsNaN(distance))
        {
            sink.Log(step, "dist_to_opt", distance);
        }
    }

    private static double LogValidation<T>(long step, ReferenceProblem problem, ITarget<T> target, T[] x, IMetricSink sink)
    {
        var (valLoss, accuracy) = target.Validate(x, problem.IsClassifier);
        sink.Log(step, "val_loss", valLoss);
        if (problem.IsClassifier)
        {
            sink.Log(step, "val_accuracy", accuracy);
        }
        return valLoss;
    }

    /// <summary>The problem as the step loop sees it, in the precision of its parameters.</summary>
    private interface ITarget<T>
    {
        /// <summary>Loss on the current batch; writes the gradient.</summary>
        double Evaluate(ReadOnlySpan<T> x, Span<T> gradient);

        /// <summary>The full training objective.</summary>
        double Loss(ReadOnlySpan<T> x);

        /// <summary>Validation loss, and accuracy when <paramref name="accuracy"/> (else NaN).</summary>
        (double Loss, double Accuracy) Validate(ReadOnlySpan<T> x, bool accuracy);
    }

    private sealed class DoubleTarget(ReferenceProblem problem) : ITarget<double>
    {
        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient) => problem.Evaluate(x, gradient);

        public double Loss(ReadOnlySpan<double> x) => problem.Loss(x);

        public (double Loss, double Accuracy) Validate(ReadOnlySpan<double> x, bool accuracy) =>
            (problem.ValidationLoss(x), accuracy ? problem.ValidationAccuracy(x) : double.NaN);
    }

    private sealed class SingleTarget(MlpProblem<float> problem) : ITarget<float>
    {
        public double Evaluate(ReadOnlySpan<float> x, Span<float> gradient) => problem.EvaluateBatch(x, gradient);

        public double Loss(ReadOnlySpan<float> x) => problem.ScoreTraining(x).Loss;

        public (double Loss, double Accuracy) Validate(ReadOnlySpan<float> x, bool accuracy) => problem.ScoreValidation(x);
    }

    /// <summary>Applies one update given the gradient <c>g</c> already evaluated at <c>x</c>; returns the step size actually applied (the scheduled lr after the optimizer's own decay, or the line search's step length).</summary>
    private delegate double Stepper<T>(T[] x, T[] g, double lr, double maxNorm, double clipValue);

    private static Stepper<T> CreateStepper<T>(string solver, SpecValues p, ReferenceProblem problem, int n, double lr, CancellationToken cancellationToken)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        FirstOrderOptimizer<T>? first = solver switch
        {
            "gd" => new GradientDescent<T>(n, lr, p.Boolean("robbins_monro")),
            "sgd" => new StochasticGradientDescent<T>(n, lr, p.Number("momentum"), p.Number("dampening"), p.Number("weight_decay"), p.Boolean("nesterov")),
            "adagrad" => new AdaGrad<T>(n, lr, p.Number("lr_decay"), p.Number("weight_decay"), p.Number("initial_accumulator_value"), p.Number("eps")),
            "rmsprop" => new RmsProp<T>(n, lr, p.Number("alpha"), p.Number("eps"), p.Number("weight_decay"), p.Number("momentum"), p.Boolean("centered")),
            "adam" or "adamw" => new Adam<T>(
                n,
                lr,
                p.Numbers("betas")[0],
                p.Numbers("betas")[1],
                p.Number("eps"),
                p.Number("weight_decay"),
                p.Boolean("amsgrad"),
                solver == "adamw"
            ),
            _ => null,
        };
        if (first is not null)
        {
            return (x, g, rate, maxNorm, clipValue) =>
            {
                if (maxNorm > 0)
                {
                    GradientClipping.ClipByNorm<T>(g, maxNorm);
                }

                if (clipValue > 0)
                {
                    GradientClipping.ClipByValue<T>(g, clipValue);
                }

                first.LearningRate = rate;
                first.Step(x, g);
                return first.AppliedLearningRate;
            };
        }

        if (typeof(T) != typeof(double))
        {
            throw new ArgumentException($"The solver '{solver}' works in double precision only.", nameof(solver));
        }

        Stepper<double> second;
        if (solver == "newton")
        {
            var newton = new NewtonOptimizer(n, lr, p.Number("damping"), p.Boolean("line_search"));
            second = (x, _, rate, _, _) =>
            {
                newton.LearningRate = rate;
                newton.Step(x, (IHessianObjective)problem, cancellationToken);
                return newton.LastStepLength;
            };
        }
        else
        {
            var lbfgs = new LbfgsOptimizer(
                n,
                lr,
                p.Integer("max_iter"),
                null,
                p.Number("tolerance_grad"),
                p.Number("tolerance_change"),
                p.Integer("history_size"),
                p.Text("line_search_fn") == "strong_wolfe"
            );
            second = (x, _, rate, _, _) =>
            {
                lbfgs.LearningRate = rate;
                lbfgs.Step(x, problem, cancellationToken);
                return lbfgs.LastStepLength;
            };
        }

        return (Stepper<T>)(object)second;
    }

    internal static LearningRateSchedule CreateSchedule(Dictionary<string, JsonElement>? spec, out double? baseLr)
    {
        baseLr = null;
        if (spec is null)
        {
            return new ConstantLR();
        }

        var name = spec["name"].GetString()!;
        var s = new SpecValues(spec, ExperimentCatalog.Schedule(name)!.Parameters);
        switch (name)
        {
            case "step":
                return new StepLR(s.Integer("step_size"), s.Number("gamma"));
            case "multistep":
                return new MultiStepLR([.. s.Numbers("milestones").Select(v => (int)v)], s.Number("gamma"));
            case "exponential":
                return new ExponentialLR(s.Number("gamma"));
            case "cosine":
                return new CosineAnnealingLR(s.Integer("T_max"), s.Number("eta_min"));
            case "cosine_warm_restarts":
                return new CosineAnnealingWarmRestarts(s.Integer("T_0"), s.Integer("T_mult"), s.Number("eta_min"));
            case "cyclic":
                baseLr = s.Number("base_lr");
                var mode = s.Text("mode") switch
                {
                    "triangular2" => CyclicMode.Triangular2,
                    "exp_range" => CyclicMode.ExpRange,
                    _ => CyclicMode.Triangular,
                };
                return new CyclicLR(s.Number("base_lr"), s.Number("max_lr"), s.Integer("step_size_up"), s.Integer("step_size_down"), mode, s.Number("gamma"));
            case "linear":
                return new LinearLR(s.Number("start_factor"), s.Number("end_factor"), s.Integer("total_iters"));
            case "warmup_cosine":
                return new WarmupCosineLR(s.Integer("warmup_steps"), s.Integer("total_steps"), s.Number("eta_min"));
            case "polynomial":
                return new PolynomialLR(s.Integer("total_iters"), s.Number("power"));
            case "one_cycle":
                baseLr = s.Number("max_lr") / s.Number("div_factor");
                return new OneCycleLR(
                    s.Number("max_lr"),
                    s.Integer("total_steps"),
                    s.Number("pct_start"),
                    s.Text("anneal_strategy") == "cos",
                    s.Number("div_factor"),
                    s.Number("final_div_factor"),
                    s.Boolean("three_phase")
                );
            case "inverse_time":
                return new InverseTimeLR(s.Number("t0"));
            case "inverse_sqrt":
                return new InverseSqrtLR(s.Number("t0"));
            case "reduce_on_plateau":
                return new ReduceLROnPlateauSchedule(
                    new Tracker.Analysis.Convergence.ReduceLrOnPlateauOptions
                    {
                        Factor = s.Number("factor"),
                        Patience = s.Integer("patience"),
                        Threshold = s.Number("threshold"),
                        ThresholdMode =
                            s.Text("threshold_mode") == "abs" ? Tracker.Analysis.Convergence.ThresholdMode.Abs : Tracker.Analysis.Convergence.ThresholdMode.Rel,
                        Cooldown = s.Integer("cooldown"),
                        MinLr = s.Number("min_lr"),
                        Eps = s.Number("eps"),
                    }
                );
            default:
                return new ConstantLR();
        }
    }

    /// <summary>Logs <c>loss</c> = inertia per sample from the seeds (step 0) through every Lloyd iteration of the best restart, <c>inertia</c>, and <c>converged</c> (1 when the centers stopped moving before max_iter) at the last step.</summary>
    private static void RunKMeans(ExperimentSpec spec, SpecValues p, IMetricSink sink, CancellationToken cancellationToken)
    {
        var data = Dataset.Load(spec.Problem);
        var result = new KMeans(p.Integer("n_clusters"), p.Integer("n_init"), spec.Steps, p.Number("tol")).Fit(
            data.Features,
            data.Rows,
            data.Columns,
            new Random(spec.Seed),
            cancellationToken: cancellationToken
        );
        sink.Log(0, "loss", result.InitialInertia / data.Rows);
        sink.Log(0, "inertia", result.InitialInertia);
        for (var i = 0; i < result.InertiaHistory.Count; i++)
        {
            sink.Log(i + 1, "loss", result.InertiaHistory[i] / data.Rows);
            sink.Log(i + 1, "inertia", result.InertiaHistory[i]);
        }

        sink.Log(result.Iterations, "inertia_best", result.Inertia);
        sink.Log(result.Iterations, "converged", result.Converged ? 1 : 0);
    }

    /// <summary>Logs <c>log_likelihood</c> (mean per sample) and <c>loss</c> = its negative after every EM iteration, and <c>converged</c> at the end.</summary>
    private static void RunGaussianMixture(ExperimentSpec spec, SpecValues p, IMetricSink sink, CancellationToken cancellationToken)
    {
        var data = Dataset.Load(spec.Problem);
        var init = p.Text("init_params") switch
        {
            "k-means++" => GaussianMixtureInit.KMeansPlusPlus,
            "random" => GaussianMixtureInit.Random,
            _ => GaussianMixtureInit.KMeans,
        };
        var em = new GaussianMixture(p.Integer("n_components"), p.Number("tol"), p.Number("reg_covar"), spec.Steps, init);
        var result = em.Fit(
            data.Features,
            data.Rows,
            data.Columns,
            new Random(spec.Seed),
            (iteration, ll) =>
            {
                sink.Log(iteration, "loss", -ll);
                sink.Log(iteration, "log_likelihood", ll);
            },
            cancellationToken
        );
        sink.Log(result.Iterations + 1, "converged", result.Converged ? 1 : 0);
    }

    /// <summary>
    /// Logs, per epoch, <c>loss</c> = the fraction of training rows misclassified after it (1 at step 0: w = 0 misclassifies
    /// every row), <c>mistakes</c> = updates so far, <c>mistakes_epoch</c>; at the end <c>novikoff_bound</c> (R/γ)² with the
    /// final separator's margin (infinite when not separated) and <c>converged</c>.
    /// </summary>
    private static void RunPerceptron(ExperimentSpec spec, SpecValues p, IMetricSink sink, CancellationToken cancellationToken)
    {
        var data = Dataset.Load(spec.Problem).WithClasses(p.Integer("positive_class"), p.Integer("negative_class"));
        var positive = data.Labels.Select(l => l == 0 ? 1 : 0).ToArray();
        var updates = 0;
        sink.Log(0, "loss", 1);
        sink.Log(0, "mistakes", 0);
        var result = Perceptron.Train(
            data.Features,
            data.Rows,
            data.Columns,
            positive,
            spec.Steps,
            (epoch, mistakes, error) =>
            {
                updates += mistakes;
                sink.Log(epoch, "loss", error);
                sink.Log(epoch, "mistakes", updates);
                sink.Log(epoch, "mistakes_epoch", mistakes);
            },
            cancellationToken
        );
        if (result.Converged)
        {
            sink.Log(result.Epochs, "novikoff_bound", result.NovikoffBound);
        }

        sink.Log(result.Epochs, "converged", result.Converged ? 1 : 0);
    }
}
