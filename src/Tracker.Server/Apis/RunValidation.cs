using System.Text.Json;
using Tracker.Sdk.Contracts;
using Tracker.Server.Hosting;

namespace Tracker.Server.Apis;

/// <summary>Field rules shared by run creation and update, with the configured <see cref="LimitOptions"/>; each returns
/// (field, message) for the first problem.</summary>
internal static class RunValidation
{
    /// <summary>Default of <see cref="LimitOptions.MaxTags"/> (also the cap on tags mirrored from MLflow and experiments).</summary>
    public const int MaxTags = 100;

    /// <summary>Default of <see cref="LimitOptions.MaxTagLength"/>.</summary>
    public const int MaxTagLength = 100;

    public static (string Field, string Message)? Check(CreateRunRequest body, LimitOptions limits)
    {
        if (body.Id is not null && !RunIdRule.IsValid(body.Id))
            return ("id", RunIdRule.Description);
        if (Common(body.Name, body.Tags, body.Notes, limits) is { } common)
            return common;
        if (body.Group is { Length: > 200 })
            return ("group", "is longer than 200 characters");
        if (body.Config is { } config && config.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            return ("config", "must be a JSON object of hyper-parameters");
        }
        if (body.Config is { ValueKind: JsonValueKind.Object } sized && ConfigTooLarge(sized, limits) is { } tooLarge)
            return ("config", tooLarge);
        if (body.Config is { } cfg && Analysis.AnalysisSettings.Check(cfg) is { } analysisProblem)
        {
            return ("config.tracker.analysis", analysisProblem);
        }
        return null;
    }

    public static (string Field, string Message)? Check(UpdateRunRequest body, LimitOptions limits) => Common(body.Name, body.Tags, body.Notes, limits);

    /// <summary>The message when a config's JSON text is over <see cref="LimitOptions.MaxConfigBytes"/>, else null.</summary>
    public static string? ConfigTooLarge(JsonElement config, LimitOptions limits)
    {
        // GetRawText is what gets stored; UTF-8 bytes are at least its length in chars, at most 3× that.
        var raw = config.GetRawText();
        var bytes = raw.Length > limits.MaxConfigBytes ? System.Text.Encoding.UTF8.GetByteCount(raw) : raw.Length;
        return bytes > limits.MaxConfigBytes ? $"is {bytes} bytes; a run's config is at most {limits.MaxConfigBytes} bytes" : null;
    }

    private static (string Field, string Message)? Common(string? name, IReadOnlyList<string>? tags, string? notes, LimitOptions limits)
    {
        if (name is not null && (name.Length == 0 || name.Length > limits.MaxRunNameLength))
            return ("name", $"must be 1–{limits.MaxRunNameLength} characters");
        if (notes is not null && notes.Length > limits.MaxNotesLength)
            return ("notes", $"is longer than {limits.MaxNotesLength} characters");
        if (tags is null)
            return null;
        if (tags.Count > limits.MaxTags)
            return ("tags", $"a run has at most {limits.MaxTags} tags");
        for (var i = 0; i < tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tags[i]) || tags[i].Length > limits.MaxTagLength)
            {
                return ($"tags[{i}]", $"must be 1–{limits.MaxTagLength} characters");
            }
        }
        return null;
    }
}
