using System.Text.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Apis;

/// <summary>Field rules shared by run creation and update; each returns (field, message) for the first problem.</summary>
internal static class RunValidation
{
    public const int MaxTags = 100;
    public const int MaxTagLength = 100;

    public static (string Field, string Message)? Check(CreateRunRequest body)
    {
        if (body.Id is not null && !RunIdRule.IsValid(body.Id)) return ("id", RunIdRule.Description);
        if (Common(body.Name, body.Tags, body.Notes) is { } common) return common;
        if (body.Group is { Length: > 200 }) return ("group", "is longer than 200 characters");
        if (body.Config is { } config && config.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            return ("config", "must be a JSON object of hyper-parameters");
        }
        if (body.Config is { } cfg && Analysis.AnalysisSettings.Check(cfg) is { } analysisProblem)
        {
            return ("config.tracker.analysis", analysisProblem);
        }
        return null;
    }

    public static (string Field, string Message)? Check(UpdateRunRequest body) => Common(body.Name, body.Tags, body.Notes);

    private static (string Field, string Message)? Common(string? name, IReadOnlyList<string>? tags, string? notes)
    {
        if (name is not null && (name.Length is 0 or > 200)) return ("name", "must be 1–200 characters");
        if (notes is { Length: > 100_000 }) return ("notes", "is longer than 100000 characters");
        if (tags is null) return null;
        if (tags.Count > MaxTags) return ("tags", $"a run has at most {MaxTags} tags");
        for (var i = 0; i < tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tags[i]) || tags[i].Length > MaxTagLength)
            {
                return ($"tags[{i}]", $"must be 1–{MaxTagLength} characters");
            }
        }
        return null;
    }
}
