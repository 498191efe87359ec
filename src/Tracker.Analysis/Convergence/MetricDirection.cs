namespace Tracker.Analysis.Convergence;

/// <summary>Resolves <see cref="MetricMode.Auto"/> to min or max from a metric's name.</summary>
/// <remarks>
/// Keras 3 strips a <c>val_</c> prefix, takes <c>loss</c> as min and otherwise asks the compiled
/// metric for its direction, raising an error when it cannot tell. Without a model we read the
/// name: a name ending in <c>loss</c> (or naming an error such as mse, mae, rmse, error,
/// perplexity, crossentropy) is min; accuracy-like names (acc, auc, precision, recall, f1, iou,
/// r2, fbeta) are max; anything else throws as Keras does.
/// </remarks>
public static class MetricDirection
{
    private static readonly string[] MaxMarkers = ["acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "r2", "dice"];
    private static readonly string[] MinMarkers = ["error", "mse", "mae", "rmse", "mape", "msle", "perplexity", "crossentropy", "hinge", "divergence", "nll"];

    /// <summary>Returns <see cref="MetricMode.Min"/> or <see cref="MetricMode.Max"/> for the metric.</summary>
    public static MetricMode Resolve(MetricMode mode, string monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        if (mode != MetricMode.Auto)
        {
            return mode;
        }

        var name = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor[4..] : monitor;
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        if (name.EndsWith("loss", StringComparison.OrdinalIgnoreCase))
        {
            return MetricMode.Min;
        }

        foreach (var marker in MinMarkers)
        {
            if (name.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return MetricMode.Min;
            }
        }

        foreach (var marker in MaxMarkers)
        {
            if (name.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return MetricMode.Max;
            }
        }

        throw new ArgumentException($"Cannot tell whether '{monitor}' should be minimized or maximized; set mode to min or max.", nameof(monitor));
    }
}
