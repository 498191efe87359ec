using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Components;

/// <summary>Turns the launch form's text fields into an experiment spec: a comma list in a single-valued field is a sweep
/// (<c>0.01, 0.1</c> → <c>[0.01, 0.1]</c>); a list-valued parameter (<c>betas</c>) takes <c>0.9, 0.999</c>, and a sweep of
/// lists is written <c>[0.9, 0.999]; [0.8, 0.99]</c>.</summary>
public static class LaunchSpecBuilder
{
    /// <summary>The field's text for a parameter's default.</summary>
    public static string DefaultText(ParameterDescriptor p) =>
        p.Default.ValueKind switch
        {
            JsonValueKind.Array => string.Join(", ", p.Default.EnumerateArray().Select(e => e.GetRawText())),
            JsonValueKind.String => p.Default.GetString() ?? "",
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => p.Default.GetRawText(),
        };

    /// <summary>The range a form shows beside a number (<c>0.0001 – 1</c>, <c>≥ 1</c>), or null when the parameter has none.</summary>
    public static string? RangeText(ParameterDescriptor p) =>
        (p.Minimum, p.Maximum) switch
        {
            ({ } min, { } max) => $"{min.ToString(CultureInfo.InvariantCulture)} – {max.ToString(CultureInfo.InvariantCulture)}",
            ({ } min, null) => $"≥ {min.ToString(CultureInfo.InvariantCulture)}",
            (null, { } max) => $"≤ {max.ToString(CultureInfo.InvariantCulture)}",
            _ => p.Type == "number[]" ? "a list: 0.9, 0.999" : null,
        };

    /// <summary>Parses one field; null with an error message when the text does not fit the parameter's type.</summary>
    public static JsonNode? Parse(ParameterDescriptor p, string text, out string? error)
    {
        error = null;
        text = text.Trim();
        if (p.Type == "number[]")
        {
            var lists = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var parsed = new List<JsonArray>();
            foreach (var l in lists)
            {
                var nums = ParseNumbers(l.Trim('[', ']'), integer: false, out error);
                if (nums is null)
                    return Fail(p, out error);
                parsed.Add(nums);
            }
            if (parsed.Count == 0)
                return Fail(p, out error);
            return parsed.Count == 1 ? parsed[0] : new JsonArray([.. parsed]);
        }
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
            return Fail(p, out error);
        var values = new List<JsonNode>();
        foreach (var part in parts)
        {
            JsonNode? v = p.Type switch
            {
                "integer" => int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? JsonValue.Create(i) : null,
                "number" => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                    ? JsonValue.Create(d)
                    : null,
                "boolean" => bool.TryParse(part, out var b) ? JsonValue.Create(b) : null,
                _ => p.Choices is null || p.Choices.Contains(part) ? JsonValue.Create(part) : null,
            };
            if (v is null)
                return Fail(p, out error);
            values.Add(v);
        }
        return values.Count == 1 ? values[0] : new JsonArray([.. values]);
    }

    /// <summary>The spec to POST: solver, problem, hyper-parameters, optional schedule, steps and seed (a list sweeps).</summary>
    public static JsonObject Build(
        string solver,
        string problem,
        IReadOnlyDictionary<string, JsonNode> hyperparameters,
        string? schedule,
        IReadOnlyDictionary<string, JsonNode> scheduleParameters,
        int steps,
        JsonNode seed
    )
    {
        var spec = new JsonObject
        {
            ["solver"] = solver,
            ["problem"] = problem,
            ["hyperparameters"] = new JsonObject([.. hyperparameters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value.DeepClone()))]),
            ["steps"] = steps,
            ["seed"] = seed.DeepClone(),
        };
        if (!string.IsNullOrEmpty(schedule))
        {
            var s = new JsonObject { ["name"] = schedule };
            foreach (var (k, v) in scheduleParameters)
                s[k] = v.DeepClone();
            spec["schedule"] = s;
        }
        return spec;
    }

    private static JsonArray? ParseNumbers(string text, bool integer, out string? error)
    {
        error = null;
        var arr = new JsonArray();
        foreach (var part in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                return null;
            arr.Add(integer ? JsonValue.Create((int)d) : JsonValue.Create(d));
        }
        return arr.Count == 0 ? null : arr;
    }

    private static JsonNode? Fail(ParameterDescriptor p, out string? error)
    {
        error = p.Type switch
        {
            "number[]" => $"'{p.Name}': numbers separated by commas (several lists separated by ';' sweep).",
            "string" => $"'{p.Name}': one of {string.Join(", ", p.Choices ?? [])} (a comma list sweeps).",
            _ => $"'{p.Name}': {(p.Type == "integer" ? "an integer" : p.Type == "boolean" ? "true or false" : "a number")} (a comma list sweeps).",
        };
        return null;
    }
}
