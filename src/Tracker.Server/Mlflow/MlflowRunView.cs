using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tracker.Sdk.Contracts;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Mlflow;

/// <summary>A Tracker run as MLflow sees it: status, params (the config, flattened), tags (MLflow's key/value
/// tags plus the run name, notes and native tags) and latest metrics.</summary>
internal sealed class MlflowRunView(RunEntity run, ProjectEntity project, IReadOnlyList<string> nativeTags, IReadOnlyList<MetricSeriesEntity> series)
{
    public const string RunNameTag = "mlflow.runName";
    public const string NoteTag = "mlflow.note.content";
    public const string UserTag = "mlflow.user";

    public RunEntity Run { get; } = run;
    public ProjectEntity Project { get; } = project;
    public string ExperimentId { get; } = MlflowExperimentStore.IdOf(project);
    public IReadOnlyList<MetricSeriesEntity> Series { get; } = series;
    public bool Deleted => Run.MlflowDeletedMs is not null;

    private Dictionary<string, string>? _params;
    private Dictionary<string, string>? _tags;

    public Dictionary<string, string> Params => _params ??= FlattenConfig(Run.ConfigJson);

    public Dictionary<string, string> Tags => _tags ??= BuildTags();

    public string Status => StatusOf(Run.State);

    public string UserId => Run.MlflowUserId ?? "";

    public static string StatusOf(RunState state) =>
        state switch
        {
            RunState.Running => "RUNNING",
            RunState.Finished => "FINISHED",
            RunState.Killed => "KILLED",
            _ => "FAILED", // failed and crashed
        };

    public static RunState StateOf(string status) =>
        status.ToUpperInvariant() switch
        {
            "RUNNING" or "SCHEDULED" or "1" or "2" => RunState.Running,
            "FINISHED" or "3" => RunState.Finished,
            "FAILED" or "4" => RunState.Failed,
            "KILLED" or "5" => RunState.Killed,
            _ => throw MlflowException.Invalid($"Invalid value '{status}' for parameter 'status'; use RUNNING, SCHEDULED, FINISHED, FAILED or KILLED."),
        };

    /// <summary>The native tag a user MLflow tag is mirrored as (so it shows and filters in Tracker), or null.</summary>
    public static string? NativeMirror(string key, string value)
    {
        if (key.StartsWith("mlflow.", StringComparison.Ordinal))
            return null;
        var tag = value.Length == 0 ? key : $"{key}:{value}";
        return tag.Length <= Apis.RunValidation.MaxTagLength && !string.IsNullOrWhiteSpace(tag) ? tag : null;
    }

    private Dictionary<string, string> BuildTags()
    {
        var stored = MlflowExperimentStore.Tags(Run.MlflowTagsJson);
        var mirrors = stored.Select(kv => NativeMirror(kv.Key, kv.Value)).Where(t => t is not null).ToHashSet(StringComparer.Ordinal);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in nativeTags)
        {
            if (!mirrors.Contains(t))
                tags[t] = "";
        }
        foreach (var (k, v) in stored)
            tags[k] = v;
        tags[RunNameTag] = Run.Name;
        if (Run.Notes is not null)
            tags[NoteTag] = Run.Notes;
        if (Run.MlflowUserId is not null)
            tags.TryAdd(UserTag, Run.MlflowUserId);
        return tags;
    }

    public static Dictionary<string, string> FlattenConfig(string? json)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json is null)
            return result;
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind == JsonValueKind.Object)
            Flatten(doc.RootElement, "", result);
        return result;
    }

    private static void Flatten(JsonElement obj, string prefix, Dictionary<string, string> into)
    {
        foreach (var p in obj.EnumerateObject())
        {
            var key = prefix + p.Name;
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.Object when p.Value.EnumerateObject().Any():
                    Flatten(p.Value, key + ".", into);
                    break;
                case JsonValueKind.String:
                    into[key] = p.Value.GetString()!;
                    break;
                case JsonValueKind.Null:
                    into[key] = "None";
                    break;
                case JsonValueKind.True:
                    into[key] = "True";
                    break;
                case JsonValueKind.False:
                    into[key] = "False";
                    break;
                default:
                    into[key] = p.Value.GetRawText();
                    break;
            }
        }
    }

    /// <summary>Adds params to a config object; a param logged again must have the same value (MLflow's rule).</summary>
    public static string AddParams(string? configJson, IReadOnlyList<KeyValuePair<string, string>> parameters, string runId)
    {
        var existing = FlattenConfig(configJson);
        var config = configJson is null ? new JsonObject() : JsonNode.Parse(configJson) as JsonObject ?? new JsonObject();
        foreach (var (key, value) in parameters)
        {
            if (existing.TryGetValue(key, out var old))
            {
                if (old != value)
                {
                    throw MlflowException.Invalid(
                        $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{old}' for run ID='{runId}'. Attempted logging new value '{value}'."
                    );
                }
                continue;
            }
            config[key] = value;
            existing[key] = value;
        }
        return config.ToJsonString();
    }

    public void WriteInfo(Utf8JsonWriter w)
    {
        w.WriteString("run_id", Run.Id);
        w.WriteString("run_uuid", Run.Id);
        w.WriteString("run_name", Run.Name);
        w.WriteString("experiment_id", ExperimentId);
        w.WriteString("user_id", UserId);
        w.WriteString("status", Status);
        w.WriteNumber("start_time", Run.CreatedMs);
        if (Run.EndedMs is { } ended)
            w.WriteNumber("end_time", ended);
        w.WriteString("artifact_uri", string.Create(CultureInfo.InvariantCulture, $"mlflow-artifacts:/{ExperimentId}/{Run.Id}/artifacts"));
        w.WriteString("lifecycle_stage", Deleted ? "deleted" : "active");
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject("info");
        WriteInfo(w);
        w.WriteEndObject();
        w.WriteStartObject("data");
        if (Series.Count > 0)
        {
            w.WriteStartArray("metrics");
            foreach (var s in Series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("key", s.Key);
                MlflowJson.WriteDouble(w, "value", s.LastValue ?? double.NaN);
                w.WriteNumber("timestamp", s.LastTimeMs);
                w.WriteNumber("step", s.LastStep);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        MlflowJson.WriteKeyValues(w, "params", Params.OrderBy(p => p.Key, StringComparer.Ordinal));
        MlflowJson.WriteKeyValues(w, "tags", Tags.OrderBy(p => p.Key, StringComparer.Ordinal));
        w.WriteEndObject();
        w.WriteStartObject("inputs");
        w.WriteEndObject();
    }
}
