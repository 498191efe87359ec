using System.Text.Json;
using Tracker.Analysis.Convergence;

namespace Tracker.Server.Analysis;

/// <summary>A run's analyzer options: the defaults, overridden by the <c>tracker.analysis</c> entry of its config.</summary>
internal static class AnalysisSettings
{
    /// <summary>The options for a run config; <paramref name="problem"/> says why the entry was ignored, if it was.</summary>
    public static RunAnalyzerOptions For(string? configJson, out string? problem)
    {
        problem = null;
        var defaults = new RunAnalyzerOptions();
        if (configJson is null) return defaults;
        using var config = JsonDocument.Parse(configJson);
        if (!config.RootElement.TryGetProperty(AnalysisConfig.EntryName, out var entry)) return defaults;
        try
        {
            return AnalysisConfig.Apply(defaults, entry);
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return defaults;
        }
    }

    /// <summary>Null when the config's <c>tracker.analysis</c> entry is valid (or absent), else why not.</summary>
    public static string? Check(JsonElement config)
    {
        if (config.ValueKind != JsonValueKind.Object || !config.TryGetProperty(AnalysisConfig.EntryName, out var entry)) return null;
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
}
