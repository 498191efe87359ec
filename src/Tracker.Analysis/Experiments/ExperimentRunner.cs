using System.Numerics.Tensors;
using System.Text.Json;
using Tracker.Analysis.Classic;
using Tracker.Analysis.Compute;
using Tracker.Analysis.Optimizers;
using Tracker.Analysis.Problems;
using Tracker.Analysis.Schedules;

namespace Tracker.Analysis.Experiments;

/// <summary>Runs a validated <see cref="ExperimentSpec"/> deterministically, emitting its metric points to an <see cref="IMetricSink"/>.</summary>
/// <remarks>Logs <c>loss</c> (step 0 = start), <c>val_loss</c>, <c>val_accuracy</c> for classifiers, <c>grad_norm/&lt;layer&gt;</c> for networks, <c>lr</c>, <c>grad_norm/total</c>, <c>param_delta_norm</c>, and <c>inertia</c> / <c>mistakes</c> / <c>log_likelihood</c> for classic algorithms.</remarks>
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

        var p = new SpecValues(spec.Hyperparameters ?? [], ExperimentCatalog.Solver(spec.Solver)!.Parameters.Concat(ExperimentCatalog.Problem(spec.Problem)?.Parameters ?? []));
        switch (spec.Solver)
        {
            case "kmeans":
                RunKMeans(spec, p, sink);
                return;
            case "perceptron":
                RunPerceptron(spec, p, sink);
                return;
            case "gmm":
                RunGaussianMixture(spec, p, sink);
                return;
            case "sync_sgd" or "async_sgd":
                Distributed.DistributedExperiment.Run(spec, p, sink, cancellationToken);
                return;
        }

        var rng = new Random(spec.Seed);
        var problem = ExperimentProblems.Create(spec, p);
        var n = problem.Dimension;
        var x = new double[n];
        var previous = new double[n];
        var g = new double[n];
        problem.InitialPoint(x, rng);
        var schedule = CreateSchedule(spec.Schedule, out var scheduleLr);
        var baseLr = scheduleLr ?? p.Number("lr");
        var maxNorm = spec.Clip is { } c && c.TryGetValue("max_norm", out var m) ? m.GetDouble() : 0;
        var clipValue = spec.Clip is { } c2 && c2.TryGetValue("clip_value", out var v) ? v.GetDouble() : 0;
        var step = CreateStepper(spec.Solver, p, problem, n, baseLr);

        var layers = problem.Layers;
        var layerKeys = layers.Select(l => $"grad_norm/{l.Name}").ToArray();
        sink.Log(0, "loss", problem.Loss(x));
        if (problem.HasValidation)
        {
            LogValidation(0, problem, x, sink);
        }

        for (var t = 1; t <= spec.Steps; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lr = schedule.At(t - 1, baseLr);
            x.CopyTo(previous, 0);
            problem.NextBatch(rng);
            problem.Evaluate(x, g);
            var gradNorm = TensorPrimitives.Norm<double>(g);
            for (var l = 0; l < layers.Count; l++)
            {
                sink.Log(t, layerKeys[l], TensorPrimitives.Norm<double>(g.AsSpan(layers[l].Offset, layers[l].Length)));
            }

            step(x, g, lr, maxNorm, clipValue);
            TensorPrimitives.Subtract(x, previous, previous);
            sink.Log(t, "lr", lr);
            sink.Log(t, "grad_norm/total", gradNorm);
            sink.Log(t, "param_delta_norm", TensorPrimitives.Norm<double>(previous));
            var loss = problem.Loss(x);
            sink.Log(t, "loss", loss);
            if (problem.HasValidation && (t % Math.Max(1, spec.EvalEvery) == 0 || t == spec.Steps))
            {
                var valLoss = LogValidation(t, problem, x, sink);
                (schedule as ReduceLROnPlateauSchedule)?.Observe(valLoss);
            }
            else if (!problem.HasValidation)
            {
                // Without validation data the plateau schedule monitors the training loss, every step.
                (schedule as ReduceLROnPlateauSchedule)?.Observe(loss);
            }
        }
    }

    private static double LogValidation(long step, ReferenceProblem problem, double[] x, IMetricSink sink)
    {
        var valLoss = problem.ValidationLoss(x);
        sink.Log(step, "val_loss", valLoss);
        if (problem.IsClassifier)
        {
            sink.Log(step, "val_accuracy", problem.ValidationAccuracy(x));
        }
        return valLoss;
    }

    /// <summary>Applies one update given the gradient <c>g</c> already evaluated at <c>x</c>.</summary>
    private delegate void Stepper(double[] x, double[] g, double lr, double maxNorm, double clipValue);

    private static Stepper CreateStepper(string solver, SpecValues p, ReferenceProblem problem, int n, double lr)
    {
        FirstOrderOptimizer<double>? first = solver switch
        {
            "gd" => new GradientDescent<double>(n, lr, p.Boolean("robbins_monro")),
            "sgd" => new StochasticGradientDescent<double>(n, lr, p.Number("momentum"), p.Number("dampening"), p.Number("weight_decay"), p.Boolean("nesterov")),
            "adagrad" => new AdaGrad<double>(n, lr, p.Number("lr_decay"), p.Number("weight_decay"), p.Number("initial_accumulator_value"), p.Number("eps")),
            "rmsprop" => new RmsProp<double>(n, lr, p.Number("alpha"), p.Number("eps"), p.Number("weight_decay"), p.Number("momentum"), p.Boolean("centered")),
            "adam" or "adamw" => new Adam<double>(n, lr, p.Numbers("betas")[0], p.Numbers("betas")[1], p.Number("eps"), p.Number("weight_decay"), p.Boolean("amsgrad"), solver == "adamw"),
            _ => null,
        };
        if (first is not null)
        {
            return (x, g, rate, maxNorm, clipValue) =>
            {
                if (maxNorm > 0)
                {
                    GradientClipping.ClipByNorm<double>(g, maxNorm);
                }

                if (clipValue > 0)
                {
                    GradientClipping.ClipByValue<double>(g, clipValue);
                }

                first.LearningRate = rate;
                first.Step(x, g);
            };
        }

        if (solver == "newton")
        {
            var newton = new NewtonOptimizer(n, lr, p.Number("damping"), p.Boolean("line_search"));
            return (x, _, rate, _, _) =>
            {
                newton.LearningRate = rate;
                newton.Step(x, (IHessianObjective)problem);
            };
        }

        var lbfgs = new LbfgsOptimizer(n, lr, p.Integer("max_iter"), null, p.Number("tolerance_grad"), p.Number("tolerance_change"), p.Integer("history_size"), p.Text("line_search_fn") == "strong_wolfe");
        return (x, _, rate, _, _) =>
        {
            lbfgs.LearningRate = rate;
            lbfgs.Step(x, problem);
        };
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
            case "step": return new StepLR(s.Integer("step_size"), s.Number("gamma"));
            case "multistep": return new MultiStepLR([.. s.Numbers("milestones").Select(v => (int)v)], s.Number("gamma"));
            case "exponential": return new ExponentialLR(s.Number("gamma"));
            case "cosine": return new CosineAnnealingLR(s.Integer("T_max"), s.Number("eta_min"));
            case "cosine_warm_restarts": return new CosineAnnealingWarmRestarts(s.Integer("T_0"), s.Integer("T_mult"), s.Number("eta_min"));
            case "cyclic":
                baseLr = s.Number("base_lr");
                var mode = s.Text("mode") switch { "triangular2" => CyclicMode.Triangular2, "exp_range" => CyclicMode.ExpRange, _ => CyclicMode.Triangular };
                return new CyclicLR(s.Number("base_lr"), s.Number("max_lr"), s.Integer("step_size_up"), s.Integer("step_size_down"), mode, s.Number("gamma"));
            case "linear": return new LinearLR(s.Number("start_factor"), s.Number("end_factor"), s.Integer("total_iters"));
            case "warmup_cosine": return new WarmupCosineLR(s.Integer("warmup_steps"), s.Integer("total_steps"), s.Number("eta_min"));
            case "polynomial": return new PolynomialLR(s.Integer("total_iters"), s.Number("power"));
            case "one_cycle":
                baseLr = s.Number("max_lr") / s.Number("div_factor");
                return new OneCycleLR(s.Number("max_lr"), s.Integer("total_steps"), s.Number("pct_start"), s.Text("anneal_strategy") == "cos", s.Number("div_factor"), s.Number("final_div_factor"), s.Boolean("three_phase"));
            case "inverse_time": return new InverseTimeLR(s.Number("t0"));
            case "reduce_on_plateau":
                return new ReduceLROnPlateauSchedule(new Convergence.ReduceLrOnPlateauOptions
                {
                    Factor = s.Number("factor"),
                    Patience = s.Integer("patience"),
                    Threshold = s.Number("threshold"),
                    ThresholdMode = s.Text("threshold_mode") == "abs" ? Convergence.ThresholdMode.Abs : Convergence.ThresholdMode.Rel,
                    Cooldown = s.Integer("cooldown"),
                    MinLr = s.Number("min_lr"),
                    Eps = s.Number("eps"),
                });
            default: return new ConstantLR();
        }
    }

    private static void RunKMeans(ExperimentSpec spec, SpecValues p, IMetricSink sink)
    {
        var data = Dataset.Load(spec.Problem);
        var result = new KMeans(p.Integer("n_clusters"), p.Integer("n_init"), spec.Steps, p.Number("tol")).Fit(data.Features, data.Rows, data.Columns, new Random(spec.Seed));
        for (var i = 0; i < result.InertiaHistory.Count; i++)
        {
            sink.Log(i + 1, "inertia", result.InertiaHistory[i]);
        }

        sink.Log(result.Iterations, "inertia_best", result.Inertia);
    }

    private static void RunGaussianMixture(ExperimentSpec spec, SpecValues p, IMetricSink sink)
    {
        var data = Dataset.Load(spec.Problem);
        var init = p.Text("init_params") switch { "k-means++" => GaussianMixtureInit.KMeansPlusPlus, "random" => GaussianMixtureInit.Random, _ => GaussianMixtureInit.KMeans };
        var em = new GaussianMixture(p.Integer("n_components"), p.Number("tol"), p.Number("reg_covar"), spec.Steps, init);
        var result = em.Fit(data.Features, data.Rows, data.Columns, new Random(spec.Seed), (iteration, ll) => sink.Log(iteration, "log_likelihood", ll));
        sink.Log(result.Iterations + 1, "converged", result.Converged ? 1 : 0);
    }

    private static void RunPerceptron(ExperimentSpec spec, SpecValues p, IMetricSink sink)
    {
        var data = Dataset.Load(spec.Problem).WithClasses(p.Integer("positive_class"), p.Integer("negative_class"));
        var positive = data.Labels.Select(l => l == 0 ? 1 : 0).ToArray();
        var result = Perceptron.Train(data.Features, data.Rows, data.Columns, positive, spec.Steps, (epoch, mistakes) => sink.Log(epoch, "mistakes", mistakes));
        sink.Log(result.Epochs, "updates", result.Updates);
        sink.Log(result.Epochs, "novikoff_bound", result.NovikoffBound);
    }
}
