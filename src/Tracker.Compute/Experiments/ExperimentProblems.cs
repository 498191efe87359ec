using System.Text.Json;
using Tracker.Compute.Compute;
using Tracker.Compute.Networks;
using Tracker.Compute.Problems;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Experiments;

/// <summary>Builds the problem (and its initialization) that a validated spec names.</summary>
internal static class ExperimentProblems
{
    public static ReferenceProblem Create(ExperimentSpec spec, SpecValues p)
    {
        switch (spec.Problem)
        {
            case "quadratic":
                return new QuadraticProblem(p.Integer("dimension"), p.Number("condition_number"));
            case "rosenbrock":
                return new RosenbrockProblem(startX: p.Number("start_x"), startY: p.Number("start_y"));
            case "saddle":
                return new SaddleProblem(p.Number("quartic"), p.Number("start_x"), p.Number("start_y"), p.Number("gradient_noise"), p.Number("tilt"));
            case "reddi_counterexample":
                return new ReddiCounterexampleProblem(p.Number("C"), p.Number("start"));
        }

        var (train, validation) = Dataset.Load(p.Text("dataset")).Split(p.Number("validation_fraction"), spec.Seed, p.Boolean("standardize"));
        train = train.Take(p.Integer("train_size")).WithLabelNoise(p.Number("label_noise"), spec.Seed);
        switch (spec.Problem)
        {
            case "softmax_regression":
                return new MlpProblem<double>(
                    train,
                    validation,
                    0,
                    0,
                    batchSize: p.Integer("batch_size"),
                    init: Init(spec.Init) ?? new WeightInit(InitScheme.Zeros)
                );
            case "mlp":
                var activation = p.Text("activation") switch
                {
                    "tanh" => Activation.Tanh,
                    "sigmoid" => Activation.Sigmoid,
                    _ => Activation.Relu,
                };
                int width = p.Integer("width"),
                    depth = p.Integer("depth"),
                    batch = p.Integer("batch_size");
                bool residual = p.Boolean("residual"),
                    norm = p.Boolean("layer_norm"),
                    batchNorm = p.Boolean("batch_norm");
                var init = Init(spec.Init);
                return p.Text("dtype") == "float32"
                    ? new MlpProblem<float>(train, validation, width, depth, activation, residual, norm, batch, init, batchNorm)
                    : new MlpProblem<double>(train, validation, width, depth, activation, residual, norm, batch, init, batchNorm);
            default:
                var loss = spec.Problem == "logistic_regression" ? LinearModelLoss.Logistic : LinearModelLoss.Squared;
                return new LinearModelProblem(
                    train,
                    validation,
                    loss,
                    loss == LinearModelLoss.Logistic ? p.Integer("positive_class") : 0,
                    p.Integer("batch_size"),
                    p.Number("l2")
                );
        }
    }

    /// <summary>
    /// The analysis hints of a spec: f* where the problem knows its optimum (quadratic, Rosenbrock, saddle, Reddi's problem,
    /// least squares), K for a cross-entropy problem (2 for logistic regression, the data set's classes for softmax
    /// regression and the MLP); none for the classic algorithms, whose losses have no known floor.
    /// </summary>
    public static AnalysisHints AnalysisHints(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (
            ExperimentCatalog.Validate(spec).Count > 0
            || ExperimentCatalog.Problem(spec.Problem) is not { } problem
            || ExperimentCatalog.Solver(spec.Solver) is not { } solver
        )
        {
            return new(null, null);
        }

        var p = new SpecValues(spec.Hyperparameters ?? [], solver.Parameters.Concat(problem.Parameters));
        return spec.Problem switch
        {
            "logistic_regression" => new(null, 2),
            "softmax_regression" or "mlp" => new(null, Math.Max(2, Dataset.Load(p.Text("dataset")).Classes)),
            _ => new(Create(spec, p).OptimalLoss, null),
        };
    }

    /// <summary>The spec's <c>init</c> section as a <see cref="WeightInit"/> (null when absent).</summary>
    public static WeightInit? Init(Dictionary<string, JsonElement>? init)
    {
        if (init is null)
        {
            return null;
        }

        var name = init["name"].GetString()!;
        var v = new SpecValues(init, ExperimentCatalog.Initializer(name)!.Parameters);
        return name switch
        {
            "xavier_uniform" => new WeightInit(InitScheme.XavierUniform, Gain: v.Number("gain")),
            "xavier_normal" => new WeightInit(InitScheme.XavierNormal, Gain: v.Number("gain")),
            "kaiming_uniform" => new WeightInit(InitScheme.KaimingUniform, FanOut: v.Text("mode") == "fan_out"),
            "kaiming_normal" => new WeightInit(InitScheme.KaimingNormal, FanOut: v.Text("mode") == "fan_out"),
            "normal" => new WeightInit(InitScheme.Normal, Scale: v.Number("std")),
            "uniform" => new WeightInit(InitScheme.Uniform, Scale: v.Number("bound")),
            "zeros" => new WeightInit(InitScheme.Zeros),
            _ => WeightInit.PyTorchDefault,
        };
    }
}
