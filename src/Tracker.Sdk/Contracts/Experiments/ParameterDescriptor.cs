using System.Text.Json;

namespace Tracker.Sdk.Contracts;

/// <summary>One parameter of a catalog entry: enough for a UI to build a form field.</summary>
/// <param name="Name">Name as in PyTorch / scikit-learn.</param>
/// <param name="Type"><c>number</c>, <c>integer</c>, <c>boolean</c>, <c>string</c> or <c>number[]</c>.</param>
/// <param name="Default">Default value.</param>
/// <param name="Minimum">Inclusive lower bound for numbers.</param>
/// <param name="Maximum">Inclusive upper bound for numbers.</param>
/// <param name="Choices">Allowed values of a string parameter.</param>
/// <param name="Description">One line for the form.</param>
public sealed record ParameterDescriptor(
    string Name,
    string Type,
    JsonElement Default,
    double? Minimum = null,
    double? Maximum = null,
    IReadOnlyList<string>? Choices = null,
    string? Description = null
)
{
    /// <summary>A number parameter.</summary>
    public static ParameterDescriptor Number(string name, double value, double? min = null, double? max = null, string? description = null) =>
        new(name, "number", JsonSerializer.SerializeToElement(value, ExperimentJsonContext.Default.Double), min, max, null, description);

    /// <summary>An integer parameter.</summary>
    public static ParameterDescriptor Integer(string name, int value, int? min = null, int? max = null, string? description = null) =>
        new(name, "integer", JsonSerializer.SerializeToElement(value, ExperimentJsonContext.Default.Int32), min, max, null, description);

    /// <summary>A boolean parameter.</summary>
    public static ParameterDescriptor Boolean(string name, bool value, string? description = null) =>
        new(name, "boolean", JsonSerializer.SerializeToElement(value, ExperimentJsonContext.Default.Boolean), null, null, null, description);

    /// <summary>A string parameter with its choices.</summary>
    public static ParameterDescriptor Choice(string name, string value, IReadOnlyList<string> choices, string? description = null) =>
        new(name, "string", JsonSerializer.SerializeToElement(value, ExperimentJsonContext.Default.String), null, null, choices, description);

    /// <summary>A list-of-numbers parameter (betas, milestones).</summary>
    public static ParameterDescriptor Numbers(string name, double[] value, string? description = null) =>
        new(name, "number[]", JsonSerializer.SerializeToElement(value, ExperimentJsonContext.Default.DoubleArray), null, null, null, description);

    /// <summary>Checks <paramref name="value"/> against type, range and choices; null when valid.</summary>
    public string? Check(JsonElement value)
    {
        switch (Type)
        {
            case "number" or "integer":
                if (value.ValueKind != JsonValueKind.Number || (Type == "integer" && !value.TryGetInt32(out _)))
                {
                    return $"'{Name}' must be a{(Type == "integer" ? "n integer" : " number")}.";
                }

                var v = value.GetDouble();
                if ((Minimum is { } lo && v < lo) || (Maximum is { } hi && v > hi))
                {
                    return $"'{Name}' must lie in [{Minimum?.ToString() ?? "-inf"}, {Maximum?.ToString() ?? "inf"}].";
                }

                return null;
            case "boolean":
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : $"'{Name}' must be true or false.";
            case "string":
                return value.ValueKind == JsonValueKind.String && (Choices is null || Choices.Contains(value.GetString()!))
                    ? null
                    : $"'{Name}' must be one of: {string.Join(", ", Choices ?? [])}.";
            default:
                return value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number)
                    ? null
                    : $"'{Name}' must be a list of numbers.";
        }
    }
}
