namespace Tracker.Server.Mlflow;

/// <summary>MLflow's validation rules for names and values, and its request limits.</summary>
internal static class MlflowLimits
{
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 8000;
    public const int MaxExperimentNameLength = 500;
    public const int MaxRunNameLength = 200;
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;
    public const int DefaultMaxResults = 1000;
    public const int MaxResults = 50_000;

    /// <summary>Checks a metric, param or tag name like MLflow: ≤ 250 characters of <c>^[/\w.\- ]*$</c>, not a path escape.</summary>
    public static string Key(string? key, string what)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw MlflowException.Invalid($"Missing value for required parameter 'key' of a {what}.");
        }
        if (key.Length > MaxKeyLength)
        {
            throw MlflowException.Invalid($"{Capital(what)} name '{key[..32]}...' had length {key.Length}, which exceeded length limit of {MaxKeyLength}");
        }
        foreach (var c in key)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ' '))
            {
                throw MlflowException.Invalid(
                    $"Invalid {what} name: '{key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/)."
                );
            }
        }
        if (key == ".." || key.StartsWith('/') || key.Contains("../", StringComparison.Ordinal) || key.EndsWith("/..", StringComparison.Ordinal))
        {
            throw MlflowException.Invalid(
                $"Invalid {what} name: '{key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such."
            );
        }
        return key;
    }

    public static string Value(string? value, int limit, string what, string key)
    {
        value ??= "";
        if (value.Length > limit)
        {
            throw MlflowException.Invalid($"{Capital(what)} '{key}' had value length {value.Length}, which exceeded length limit of {limit}");
        }
        return value;
    }

    public static int MaxResultsOrDefault(long? requested, int fallback = DefaultMaxResults, int limit = MaxResults)
    {
        if (requested is null)
            return fallback;
        if (requested <= 0 || requested > limit)
        {
            throw MlflowException.Invalid(
                $"Invalid value {requested} for parameter 'max_results' supplied. It must be at most {limit}, and a positive integer."
            );
        }
        return (int)requested.Value;
    }

    private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
