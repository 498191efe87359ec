using System.Text.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Experiments;

/// <summary>Expands a sweep (hyper-parameters given as JSON arrays of values) into one spec per combination.</summary>
/// <remarks>
/// A hyper-parameter is a grid axis when its value is an array and its catalog type is a scalar
/// (<c>"lr": [0.001, 0.01]</c>), or an array of arrays for a list-typed one (<c>"betas": [[0.9, 0.999], [0.5, 0.9]]</c>).
/// Axes vary in the order they appear, the last fastest. Validate each expanded spec as usual.
/// </remarks>
public static class ExperimentSweep
{
    /// <summary>Largest number of runs one sweep may launch.</summary>
    public const int MaxRuns = 256;

    /// <summary>Whether any hyper-parameter of <paramref name="spec"/> is a grid axis.</summary>
    public static bool IsSweep(ExperimentSpec spec) => Axes(spec).Count > 0;

    /// <summary>The specs of every combination (the spec itself when it is not a sweep); throws <see cref="ArgumentException"/> past <see cref="MaxRuns"/>.</summary>
    public static IReadOnlyList<ExperimentSpec> Expand(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var axes = Axes(spec);
        var total = axes.Aggregate(1L, (n, a) => n * a.Values.Length);
        if (total > MaxRuns)
        {
            throw new ArgumentException($"The sweep has {total} combinations; at most {MaxRuns} are allowed.", nameof(spec));
        }

        if (total == 0)
        {
            throw new ArgumentException("A sweep axis has no values.", nameof(spec));
        }

        var specs = new List<ExperimentSpec>((int)total);
        for (var index = 0L; index < total; index++)
        {
            var hyperparameters = new Dictionary<string, JsonElement>(spec.Hyperparameters ?? []);
            var rest = index;
            for (var a = axes.Count - 1; a >= 0; a--)
            {
                hyperparameters[axes[a].Name] = axes[a].Values[rest % axes[a].Values.Length];
                rest /= axes[a].Values.Length;
            }

            specs.Add(spec with { Hyperparameters = hyperparameters });
        }

        return specs;
    }

    private static List<(string Name, JsonElement[] Values)> Axes(ExperimentSpec spec)
    {
        var types = (ExperimentCatalog.Solver(spec.Solver)?.Parameters ?? [])
            .Concat(ExperimentCatalog.Problem(spec.Problem)?.Parameters ?? [])
            .GroupBy(p => p.Name)
            .ToDictionary(g => g.Key, g => g.First().Type);
        var axes = new List<(string, JsonElement[])>();
        foreach (var (name, value) in spec.Hyperparameters ?? [])
        {
            if (value.ValueKind != JsonValueKind.Array || !types.TryGetValue(name, out var type))
            {
                continue;
            }

            var values = value.EnumerateArray().ToArray();
            var isAxis = type != "number[]" || (values.Length > 0 && values.All(v => v.ValueKind == JsonValueKind.Array));
            if (isAxis)
            {
                axes.Add((name, values));
            }
        }

        return axes;
    }
}
