using System.Text.Json;
using System.Text.Json.Serialization;
using Tracker.Analysis.Convergence;

namespace Tracker.Server.Analysis;

/// <summary>JSON of the last persisted analysis snapshot of a run (compared against after a restart).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AnalysisSnapshot))]
internal sealed partial class AnalysisStorageJsonContext : JsonSerializerContext;
