namespace Tracker.Analysis.Convergence;

/// <summary>Whether a monitored metric should go down or up (Keras' <c>mode</c>).</summary>
public enum MetricMode
{
    /// <summary>Infer the direction from the metric name (see <see cref="MetricDirection"/>).</summary>
    Auto,

    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}
