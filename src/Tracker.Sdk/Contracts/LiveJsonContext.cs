using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tracker.Sdk.Contracts;

/// <summary>Source-generated JSON metadata of the live hub's messages (server and dashboard use it as the SignalR payload resolver).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(LivePoints))]
[JsonSerializable(typeof(LiveRunSummary))]
[JsonSerializable(typeof(LiveRunState))]
[JsonSerializable(typeof(LiveRunEvent))]
[JsonSerializable(typeof(string))]
public sealed partial class LiveJsonContext : JsonSerializerContext;
