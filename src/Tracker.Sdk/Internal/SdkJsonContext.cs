using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tracker.Sdk.Internal;

/// <summary>Source-generated JSON for the SDK's own files: the config and the spool's header and trailer.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(TrackerConfig))]
[JsonSerializable(typeof(SpoolHeader))]
[JsonSerializable(typeof(SpoolFinish))]
internal sealed partial class SdkJsonContext : JsonSerializerContext;
