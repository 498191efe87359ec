namespace Tracker.Compute.Schedules;

/// <summary>The amplitude policy of <see cref="CyclicLR"/>.</summary>
public enum CyclicMode
{
    /// <summary>Constant amplitude.</summary>
    Triangular,

    /// <summary>Amplitude halved each cycle.</summary>
    Triangular2,

    /// <summary>Amplitude scaled by γ^iteration.</summary>
    ExpRange,
}
