namespace Tracker.Compute.Problems;

/// <summary>A named slice of the flat parameter vector (one layer's weights, say).</summary>
/// <param name="Name">Metric-friendly name, e.g. <c>layer1.weight</c>.</param>
/// <param name="Offset">First index in the flat vector.</param>
/// <param name="Length">Number of parameters.</param>
/// <param name="FanIn">Fan-in when the block is a weight matrix (0 otherwise).</param>
/// <param name="FanOut">Fan-out when the block is a weight matrix (0 otherwise).</param>
public readonly record struct ParameterBlock(string Name, int Offset, int Length, int FanIn = 0, int FanOut = 0)
{
    /// <summary>Whether the block is a weight matrix that an initializer fills.</summary>
    public bool IsWeight => FanIn > 0;
}
