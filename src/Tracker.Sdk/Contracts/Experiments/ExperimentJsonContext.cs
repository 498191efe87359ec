using System.Text.Json.Serialization;

namespace Tracker.Sdk.Contracts;

/// <summary>Source-generated JSON metadata for experiment specs and the catalog (camelCase, AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExperimentSpec))]
[JsonSerializable(typeof(ExperimentCatalogDocument))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(double[]))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
public sealed partial class ExperimentJsonContext : JsonSerializerContext;
