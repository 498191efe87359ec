using System.Text.Json.Nodes;
using Tracker.Analysis.Experiments;

namespace Tracker.Server.Experiments;

/// <summary>Expands a launch body into one spec per combination of swept values: a hyper-parameter (or <c>seed</c>)
/// given as a list where the catalog expects a single value is a sweep; for list-valued parameters
/// (<c>betas</c>, <c>milestones</c>) a list of lists is.</summary>
internal static class SweepExpansion
{
    public sealed record Variant(JsonObject Spec, string Label);

    public static List<Variant> Expand(JsonObject body, int maxRuns, out string? error)
    {
        error = null;
        var axes = new List<(string Path, JsonArray Values)>();
        if (body["hyperparameters"] is JsonObject hyper)
        {
            var solver = ExperimentCatalog.Solver(body["solver"]?.GetValue<string>() ?? "");
            var problem = ExperimentCatalog.Problem(body["problem"]?.GetValue<string>() ?? "");
            var parameters = (solver?.Parameters ?? []).Concat(problem?.Parameters ?? []).ToDictionary(p => p.Name, p => p.Type);
            foreach (var (name, value) in hyper)
            {
                if (value is not JsonArray list) continue;
                var listValued = parameters.TryGetValue(name, out var type) && type == "number[]";
                if (!listValued || (list.Count > 0 && list.All(v => v is JsonArray)))
                {
                    axes.Add(($"hyperparameters.{name}", list));
                }
            }
        }
        if (body["seed"] is JsonArray seeds) axes.Add(("seed", seeds));

        var total = axes.Aggregate(1L, (n, axis) => n * axis.Values.Count);
        if (total == 0)
        {
            error = "a swept parameter has an empty list of values";
            return [];
        }
        if (total > maxRuns)
        {
            error = $"the sweep would launch {total} runs; the limit is {maxRuns}";
            return [];
        }

        var variants = new List<Variant>();
        var index = new int[axes.Count];
        for (var n = 0; n < total; n++)
        {
            var spec = (JsonObject)body.DeepClone();
            var label = new List<string>();
            for (var a = 0; a < axes.Count; a++)
            {
                var (path, values) = axes[a];
                var value = values[index[a]]!.DeepClone();
                if (path == "seed") spec["seed"] = value;
                else ((JsonObject)spec["hyperparameters"]!)[path["hyperparameters.".Length..]] = value;
                label.Add($"{path.Replace("hyperparameters.", "", StringComparison.Ordinal)}={value.ToJsonString()}");
            }
            variants.Add(new Variant(spec, string.Join(' ', label)));
            for (var a = axes.Count - 1; a >= 0; a--)
            {
                if (++index[a] < axes[a].Values.Count) break;
                index[a] = 0;
            }
        }
        return variants;
    }
}
