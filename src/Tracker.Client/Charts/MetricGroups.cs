namespace Tracker.Client.Charts;

/// <summary>Which series share a chart: train and validation of one quantity (<c>loss</c>/<c>val_loss</c>,
/// <c>train/acc</c>/<c>val/acc</c>); gradient norms (<c>grad_norm/*</c>) go to their own section.</summary>
public static class MetricGroups
{
    private static readonly string[] Prefixes = ["train_", "training_", "val_", "valid_", "validation_", "test_", "eval_"];
    private static readonly string[] Folders = ["train/", "training/", "val/", "valid/", "validation/", "test/", "eval/"];

    /// <summary>Prefix of per-layer gradient norms.</summary>
    public const string GradNormPrefix = "grad_norm/";

    /// <summary>True for a per-layer gradient norm.</summary>
    public static bool IsGradNorm(string key) => key.StartsWith(GradNormPrefix, StringComparison.Ordinal);

    /// <summary>The quantity a key measures, without its train/validation prefix.</summary>
    public static string Quantity(string key)
    {
        foreach (var p in Folders)
            if (key.StartsWith(p, StringComparison.OrdinalIgnoreCase) && key.Length > p.Length)
                return key[p.Length..];
        foreach (var p in Prefixes)
            if (key.StartsWith(p, StringComparison.OrdinalIgnoreCase) && key.Length > p.Length)
                return key[p.Length..];
        return key;
    }

    /// <summary>Keys grouped per chart (gradient norms excluded), in order of the quantity's name; the plain key first.</summary>
    public static IReadOnlyList<(string Quantity, IReadOnlyList<string> Keys)> Group(IEnumerable<string> keys) =>
        [
            .. keys.Where(k => !IsGradNorm(k))
                .GroupBy(Quantity, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.OrderBy(k => k == g.Key ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal)])),
        ];

    /// <summary>A DOM id for a chart of <paramref name="name"/>.</summary>
    public static string DomId(string prefix, string name) =>
        prefix + "-" + new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
}
