using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Experiments;

/// <summary>An estimate of the memory a validated experiment keeps while it runs: the parameter-sized arrays of the step
/// loop and the solver's state (each parameters × element size), a network's activations, the data set; with the
/// hyper-parameters that drive it (named when a launch is refused).</summary>
/// <param name="Bytes">Estimated bytes.</param>
/// <param name="Drivers">Error keys (<c>hyperparameters.width</c>, …) of the parameters that make it large.</param>
public sealed record ExperimentFootprint(long Bytes, IReadOnlyList<string> Drivers)
{
    /// <summary>Rows, columns and classes of the embedded data sets (checked against <c>Dataset.Load</c> by a test).</summary>
    internal static readonly IReadOnlyDictionary<string, (int Rows, int Columns, int Classes)> Shapes = new Dictionary<string, (int, int, int)>
    {
        ["iris"] = (150, 4, 3),
        ["wine"] = (178, 13, 3),
        ["breast_cancer"] = (569, 30, 2),
        ["digits"] = (1797, 64, 10),
    };

    /// <summary>Estimates a spec that <see cref="ExperimentCatalog.Validate"/> accepted.</summary>
    public static ExperimentFootprint Estimate(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var solver = ExperimentCatalog.Solver(spec.Solver)!;
        var p = new SpecValues(spec.Hyperparameters ?? [], solver.Parameters.Concat(ExperimentCatalog.Problem(spec.Problem)?.Parameters ?? []));
        var drivers = new List<string>();
        long Driver(string name, long value)
        {
            if (spec.Hyperparameters?.ContainsKey(name) == true)
                drivers.Add($"hyperparameters.{name}");
            return value;
        }

        // Classic algorithms work on the data set itself (float64), with state of their own.
        if (solver.Name is "kmeans" or "gmm" or "perceptron")
        {
            var (rows, cols, _) = Shapes[spec.Problem];
            var data = 8L * rows * cols;
            var state = solver.Name switch
            {
                "kmeans" => 8L * ((3L * Driver("n_clusters", p.Integer("n_clusters")) * cols) + (3L * rows)),
                "gmm" => 8L * Driver("n_components", p.Integer("n_components")) * (rows + (2L * cols * cols) + cols + 1),
                _ => 8L * 2 * (cols + 1),
            };
            return new(data + state, drivers);
        }

        var element = spec.Problem == "mlp" && p.Text("dtype") == "float32" && spec.Solver is not ("newton" or "lbfgs") ? 4L : 8L;
        long parameters,
            activations = 0,
            dataset = 0;
        switch (spec.Problem)
        {
            case "quadratic":
                parameters = Driver("dimension", p.Integer("dimension"));
                break;
            case "rosenbrock" or "saddle":
                parameters = 2;
                break;
            case "reddi_counterexample":
                parameters = 1;
                break;
            default:
                var (rows, cols, classes) = Shapes[p.Text("dataset")];
                var name = spec.Problem;
                dataset = 8L * 2 * rows * (cols + 1); // the data set and its standardized train/validation copies
                var batch = p.Integer("batch_size") is > 0 and var b ? Math.Min(b, rows) : rows;
                if (name is "logistic_regression" or "linear_regression")
                {
                    parameters = cols + 1;
                    break;
                }
                long width = name == "mlp" ? Driver("width", p.Integer("width")) : 0,
                    depth = name == "mlp" ? Driver("depth", p.Integer("depth")) : 0;
                parameters = depth == 0 ? (cols + 1L) * classes : ((cols + 1L) * width) + ((depth - 1) * (width + 3) * width) + ((width + 1) * classes);
                // Pre-activations, activations, their gradients and normalization buffers per row of a batch, and a transposed copy of the weights.
                activations = element * ((4L * batch * ((depth * width) + classes)) + parameters);
                if (name == "mlp" && spec.Hyperparameters?.ContainsKey("batch_size") == true)
                    drivers.Add("hyperparameters.batch_size");
                break;
        }

        // x, the previous x and the gradient, plus the solver's state in units of parameters (Newton: the Hessian and its factor).
        var vectors = spec.Solver switch
        {
            "gd" => 3,
            "sgd" or "adagrad" => 4,
            "rmsprop" or "adam" or "adamw" => 6,
            "lbfgs" => 7 + (2L * Driver("history_size", p.Integer("history_size"))),
            "newton" => 5 + (2L * parameters),
            "sync_sgd" => 5 + (2L * Driver("workers", p.Integer("workers"))),
            "async_sgd" => 5 + (2L * (Driver("workers", p.Integer("workers")) + Driver("max_staleness", p.Integer("max_staleness")) + 1)),
            _ => 6,
        };
        if (spec.Solver == "newton")
            drivers.Add(spec.Problem == "quadratic" ? "hyperparameters.dimension" : "solver");
        return new((element * vectors * parameters) + activations + dataset, drivers.Distinct().ToList());
    }
}
