using System.Text.Json.Serialization;

namespace Tracker.Server.Mlflow;

/// <summary>Source-generated JSON for the MLflow columns (tag maps).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class MlflowStorageJsonContext : JsonSerializerContext;
