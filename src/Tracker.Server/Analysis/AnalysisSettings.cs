using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tracker.Analysis.Convergence;

namespace Tracker.Server.Analysis;

/// <summary>A run's analyzer options: the library's defaults, then the server's (<c>Tracker:Analysis:Defaults</c>),
/// then the project's, then the <c>tracker.analysis</c> entry of the run's config — each over the one before.</summary>
internal sealed class AnalysisSettings
{
    private readonly RunAnalyzerOptions _serverDefaults;

    public AnalysisSettings(IConfiguration configuration)
    {
        var section = configuration.GetSection("Tracker:Analysis:Defaults");
        _serverDefaults = new RunAnalyzerOptions();
        if (section.Exists())
        {
            // Misconfigured server defaults fail start-up with the offending key.
            using var doc = JsonDocument.Parse(ToJson(section).ToJsonString());
            _serverDefaults = AnalysisConfig.Apply(_serverDefaults, doc.RootElement);
        }
    }

    /// <summary>The options for a run; <paramref name="problem"/> says why an entry was ignored, if one was.</summary>
    public RunAnalyzerOptions For(string? projectDefaultsJson, string? configJson, out string? problem)
    {
        problem = null;
        var options = _serverDefaults;
        if (projectDefaultsJson is not null)
        {
            using var project = JsonDocument.Parse(projectDefaultsJson);
            options = TryApply(options, project.RootElement, ref problem);
        }
        if (configJson is not null)
        {
            using var config = JsonDocument.Parse(configJson);
            if (config.RootElement.ValueKind == JsonValueKind.Object && config.RootElement.TryGetProperty(AnalysisConfig.EntryName, out var entry))
            {
                options = TryApply(options, entry, ref problem);
            }
        }
        return options;
    }

    /// <summary>Null when <paramref name="entry"/> is a valid <c>tracker.analysis</c> object, else why not.</summary>
    public static string? CheckEntry(JsonElement entry)
    {
        try
        {
            AnalysisConfig.Apply(new RunAnalyzerOptions(), entry);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>Null when the run config's <c>tracker.analysis</c> entry is valid (or absent), else why not.</summary>
    public static string? Check(JsonElement config) =>
        config.ValueKind == JsonValueKind.Object && config.TryGetProperty(AnalysisConfig.EntryName, out var entry) ? CheckEntry(entry) : null;

    private static RunAnalyzerOptions TryApply(RunAnalyzerOptions options, JsonElement entry, ref string? problem)
    {
        try
        {
            return AnalysisConfig.Apply(options, entry);
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return options;
        }
    }

    /// <summary>A configuration section as JSON: numbers, booleans and null where the text is one, strings otherwise.</summary>
    private static JsonObject ToJson(IConfigurationSection section)
    {
        var json = new JsonObject();
        foreach (var child in section.GetChildren())
        {
            json[child.Key] = child.Value switch
            {
                null => ToJson(child),
                "null" => null,
                var v when bool.TryParse(v, out var b) => JsonValue.Create(b),
                var v when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
                var v => JsonValue.Create(v),
            };
        }
        return json;
    }
}
