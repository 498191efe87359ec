using System.Text.Json;

namespace Tracker.Analysis.Convergence;

/// <summary>Reads a run's <c>tracker.analysis</c> configuration object (Keras/Lightning parameter names) over defaults.</summary>
/// <remarks>
/// Keys: monitor, mode (auto|min|max), patience, min_delta, baseline, start_from_epoch,
/// stopping_threshold, divergence_threshold, check_finite, strategy (patience|gl|pq|up), alpha, s,
/// k, loss_series, validation_series, lr_series, optimal_loss, num_classes (a classification loss's K: chance level ln K), and the stopping-criteria thresholds
/// plateau_threshold, gradient_threshold, parameter_threshold, relative_threshold,
/// validation_patience, criteria_window; Keras' restore_best_weights (a stop advice names the step to restore) and
/// verbose (accepted and ignored: the server has no console to print to). A null clears an optional number.
/// Layering (server defaults, then project, then run) is <c>Apply(Apply(server, project), run)</c>.
/// Unknown keys and wrong types throw <see cref="ArgumentException"/> naming the key.
/// </remarks>
public static class AnalysisConfig
{
    /// <summary>The name of the run-config entry that holds the analysis configuration.</summary>
    public const string EntryName = "tracker.analysis";

    /// <summary>Returns <paramref name="options"/> with the keys of the JSON object applied.</summary>
    public static RunAnalyzerOptions Apply(RunAnalyzerOptions options, JsonElement config)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (config.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return options;
        }

        if (config.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"{EntryName} must be a JSON object.", nameof(config));
        }

        var es = options.EarlyStopping;
        var result = options;
        var criteria = options.Criteria;
        foreach (var p in config.EnumerateObject())
        {
            var v = p.Value;
            switch (p.Name)
            {
                case "monitor":
                    es = es with { Monitor = Text(p) };
                    break;
                case "mode":
                    es = es with { Mode = Parse(p, EarlyStoppingOptions.ParseMode) };
                    break;
                case "patience":
                    es = es with { Patience = Integer(p) };
                    break;
                case "min_delta":
                    es = es with { MinDelta = Number(p) };
                    break;
                case "baseline":
                    es = es with { Baseline = OptionalNumber(p) };
                    break;
                case "start_from_epoch":
                    es = es with { StartFromEpoch = Integer(p) };
                    break;
                case "stopping_threshold":
                    es = es with { StoppingThreshold = OptionalNumber(p) };
                    break;
                case "divergence_threshold":
                    es = es with { DivergenceThreshold = OptionalNumber(p) };
                    break;
                case "check_finite":
                    es = es with
                    {
                        CheckFinite = v.ValueKind switch
                        {
                            JsonValueKind.True => true,
                            JsonValueKind.False => false,
                            _ => throw Bad(p, "a boolean"),
                        },
                    };
                    break;
                case "strategy":
                    es = es with { Strategy = Parse(p, EarlyStoppingOptions.ParseStrategy) };
                    break;
                case "alpha":
                    es = es with { Alpha = OptionalNumber(p) };
                    break;
                case "s":
                    es = es with { Strips = Integer(p) };
                    break;
                case "k":
                    es = es with { StripLength = Integer(p) };
                    break;
                case "restore_best_weights":
                    es = es with { RestoreBestWeights = Boolean(p) };
                    break;
                case "verbose": // Keras' console logging (0, 1 or a Python bool): accepted and ignored
                    _ = v.ValueKind is JsonValueKind.True or JsonValueKind.False || Integer(p) >= 0;
                    break;
                case "loss_series":
                    result = result with { LossSeries = Text(p) };
                    break;
                case "validation_series":
                    result = result with { ValidationSeries = Text(p) };
                    break;
                case "lr_series":
                    result = result with { LearningRateSeries = Text(p) };
                    break;
                case "optimal_loss":
                    result = result with { OptimalLoss = OptionalNumber(p) };
                    break;
                case "num_classes":
                    result = result with
                    {
                        NumClasses =
                            v.ValueKind == JsonValueKind.Null ? null
                            : Integer(p) >= 2 ? Integer(p)
                            : throw Bad(p, "an integer of at least 2"),
                    };
                    break;
                case "plateau_threshold":
                    criteria = criteria with { PlateauThreshold = Number(p) };
                    break;
                case "gradient_threshold":
                    criteria = criteria with { GradientThreshold = Number(p) };
                    break;
                case "parameter_threshold":
                    criteria = criteria with { ParameterThreshold = Number(p) };
                    break;
                case "relative_threshold":
                    criteria = criteria with { RelativeThreshold = Number(p) };
                    break;
                case "validation_patience":
                    criteria = criteria with { ValidationPatience = Integer(p) };
                    break;
                case "criteria_window":
                    criteria = criteria with { Window = Math.Max(1, Integer(p)) };
                    break;
                default:
                    throw new ArgumentException($"{EntryName}: unknown key '{p.Name}'.", nameof(config));
            }
        }

        return result with
        {
            EarlyStopping = es,
            Criteria = criteria,
        };
    }

    private static string Text(JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(p.Value.GetString()) ? p.Value.GetString()! : throw Bad(p, "a non-empty string");

    private static T Parse<T>(JsonProperty p, Func<string, T> parse)
    {
        try
        {
            return parse(Text(p));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{EntryName}.{p.Name}: {e.Message}", e);
        }
    }

    private static bool Boolean(JsonProperty p) =>
        p.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad(p, "a boolean"),
        };

    private static int Integer(JsonProperty p) =>
        p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var i) && i >= 0 ? i : throw Bad(p, "a non-negative integer");

    private static double Number(JsonProperty p) => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : throw Bad(p, "a number");

    private static double? OptionalNumber(JsonProperty p) => p.Value.ValueKind == JsonValueKind.Null ? null : Number(p);

    private static ArgumentException Bad(JsonProperty p, string expected) => new($"{EntryName}.{p.Name} must be {expected}.");
}
