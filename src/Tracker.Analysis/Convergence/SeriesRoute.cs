namespace Tracker.Analysis.Convergence;

/// <summary>A series name resolved by <see cref="RunAnalyzer.Route"/> to the analyzers that read it.</summary>
/// <param name="Series">The series name.</param>
/// <param name="Targets">The analyzers fed by the series' points.</param>
public readonly record struct SeriesRoute(string Series, SeriesTargets Targets);

/// <summary>The roles a series plays for a <see cref="RunAnalyzer"/> (a series may play several, e.g. loss and monitor).</summary>
[Flags]
public enum SeriesTargets
{
    /// <summary>No analyzer reads the series.</summary>
    None = 0,

    /// <summary>The early-stopping monitor.</summary>
    Monitor = 1,

    /// <summary>The training loss.</summary>
    Loss = 2,

    /// <summary>The validation loss.</summary>
    Validation = 4,

    /// <summary>The total gradient norm.</summary>
    GradientTotal = 8,

    /// <summary>The parameter change norm.</summary>
    Parameters = 16,

    /// <summary>The learning rate.</summary>
    LearningRate = 32,

    /// <summary>A <c>grad_norm/…</c> series of the gradient-health monitor.</summary>
    GradientLayer = 64,

    /// <summary>An accuracy series (its first value hints at the number of classes).</summary>
    Accuracy = 128,

    /// <summary>The distance to the known optimum ‖θ − θ*‖ (<c>dist_to_opt</c>), read by the convergence-rate ratio tests.</summary>
    Distance = 256,

    /// <summary>The suboptimality f − f* (<c>suboptimality</c>), read by the convergence-rate ratio tests when no distance is logged.</summary>
    Suboptimality = 512,

    /// <summary>The algorithm's own convergence flag (<c>converged</c>).</summary>
    Converged = 1024,
}
