using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tracker.Sdk.Contracts;

/// <summary>Source-generated JSON metadata for every wire contract of API v1.</summary>
/// <remarks>Doubles accept and write <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>.</remarks>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(CreateProjectRequest))]
[JsonSerializable(typeof(ArtifactDto))]
[JsonSerializable(typeof(ArtifactList))]
[JsonSerializable(typeof(ProjectDto))]
[JsonSerializable(typeof(ProjectList))]
[JsonSerializable(typeof(UpdateProjectRequest))]
[JsonSerializable(typeof(CreateRunRequest))]
[JsonSerializable(typeof(UpdateRunRequest))]
[JsonSerializable(typeof(RunDto))]
[JsonSerializable(typeof(RunPage))]
[JsonSerializable(typeof(RunEventList))]
[JsonSerializable(typeof(LogMetricsRequest))]
[JsonSerializable(typeof(LogMetricsResponse))]
[JsonSerializable(typeof(MetricSeriesList))]
[JsonSerializable(typeof(MetricHistory))]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(ApiKeyCreatedDto))]
[JsonSerializable(typeof(ApiKeyList))]
[JsonSerializable(typeof(KeyIdentityDto))]
[JsonSerializable(typeof(ExperimentLaunchResponse))]
[JsonSerializable(typeof(ExperimentJobDto))]
[JsonSerializable(typeof(RunAnalysisDto))]
[JsonSerializable(typeof(ProjectAnalysisDto))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
public sealed partial class TrackerJsonContext : JsonSerializerContext;
