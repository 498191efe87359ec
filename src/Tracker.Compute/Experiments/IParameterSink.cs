using System.Numerics;

namespace Tracker.Compute.Experiments;

/// <summary>An <see cref="IMetricSink"/> that also wants the parameter vector: the gradient solvers (the step loop and
/// the distributed SGD simulations) hand it the parameters after each step's metrics were logged (step 0 = the start
/// point). The span is only valid during the call; the sink copies what it keeps (the server copies only when the
/// monitored metric improved at that step, so the cost stays one comparison per step plus a copy per improvement).</summary>
public interface IParameterSink
{
    /// <summary>The parameters <paramref name="parameters"/> (the problem's dimension) at <paramref name="step"/>, after
    /// every metric of that step was logged.</summary>
    void OnParameters<T>(long step, ReadOnlySpan<T> parameters)
        where T : unmanaged, INumberBase<T>;
}
