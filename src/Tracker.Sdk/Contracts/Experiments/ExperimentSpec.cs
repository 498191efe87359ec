using System.Text.Json;

namespace Tracker.Sdk.Contracts;

/// <summary>A reference experiment as data; hyper-parameter names follow PyTorch / scikit-learn (<c>lr</c>, <c>momentum</c>, <c>betas</c>, <c>n_clusters</c>, …).</summary>
/// <remarks>
/// Optional members have setters, not <c>init</c>: the source-generated deserializer assigns every
/// init-only member in one object initializer, which would reset an omitted <c>steps</c> to 0.
/// </remarks>
public sealed record ExperimentSpec
{
    /// <summary>Solver name from the catalog (e.g. <c>adam</c>, <c>lbfgs</c>, <c>kmeans</c>).</summary>
    public required string Solver { get; init; }

    /// <summary>Problem name from the catalog (e.g. <c>rosenbrock</c>, <c>logistic_regression</c>).</summary>
    public required string Problem { get; init; }

    /// <summary>Solver and problem parameters (one flat namespace; the catalog says which is which).</summary>
    public Dictionary<string, JsonElement> Hyperparameters { get; set; } = [];

    /// <summary>Optional schedule: <c>{"name": "cosine", "T_max": 100}</c>.</summary>
    public Dictionary<string, JsonElement>? Schedule { get; set; }

    /// <summary>Optional weight initialization for network problems: <c>{"name": "kaiming_normal", "mode": "fan_in"}</c>.</summary>
    public Dictionary<string, JsonElement>? Init { get; set; }

    /// <summary>Optional clipping: <c>{"max_norm": 1.0}</c> and/or <c>{"clip_value": 0.5}</c>.</summary>
    public Dictionary<string, JsonElement>? Clip { get; set; }

    /// <summary>Number of optimizer steps (iterations for classic algorithms).</summary>
    public int Steps { get; set; } = 100;

    /// <summary>Seed for every random choice (data split, batches, initialization).</summary>
    public int Seed { get; set; }

    /// <summary>Validation loss is logged every this many steps (0 or absent: every step).</summary>
    public int EvalEvery { get; set; } = 1;

    /// <summary>Parses a spec from JSON (camelCase top-level names as in the API).</summary>
    public static ExperimentSpec FromJson(string json) =>
        JsonSerializer.Deserialize(json, ExperimentJsonContext.Default.ExperimentSpec) ?? throw new JsonException("Empty experiment spec.");

    /// <summary>Serializes the spec (to record it as the run's config).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ExperimentJsonContext.Default.ExperimentSpec);
}
