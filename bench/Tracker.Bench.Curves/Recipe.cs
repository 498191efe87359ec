using Tracker.Sdk.Contracts;

namespace Tracker.Bench.Curves;

/// <summary>A documented way to produce a curve of a known label with the compute core.</summary>
/// <param name="Id">Unique, descriptive id.</param>
/// <param name="Family">The recipe family (documented in data/curves/README.md).</param>
/// <param name="Label">The label the recipe produces.</param>
/// <param name="Spec">The experiment to run.</param>
/// <param name="Stride">The training loss is stored every this many steps.</param>
internal sealed record Recipe(string Id, string Family, string Label, ExperimentSpec Spec, int Stride)
{
    /// <summary>Builds a spec from JSON fragments.</summary>
    public static ExperimentSpec Make(
        string solver,
        string problem,
        int steps,
        string hyperparameters,
        int seed = 1,
        int evalEvery = 0,
        string? schedule = null,
        string? init = null
    )
    {
        var json = $$"""
            {"solver": "{{solver}}", "problem": "{{problem}}", "steps": {{steps}}, "seed": {{seed}}, "evalEvery": {{(
                evalEvery > 0 ? evalEvery : Math.Max(1, steps / 50)
            )}},
             "hyperparameters": {{hyperparameters}}{{(schedule is null ? "" : $", \"schedule\": {schedule}")}}{{(init is null ? "" : $", \"init\": {init}")}}}
            """;
        return ExperimentSpec.FromJson(json);
    }
}
