namespace Tracker.Compute.Networks;

/// <summary>Hidden-layer nonlinearity of a <see cref="MultilayerPerceptron{T}"/>.</summary>
public enum Activation
{
    /// <summary>max(0, u).</summary>
    Relu,

    /// <summary>tanh(u).</summary>
    Tanh,

    /// <summary>1 / (1 + e^(−u)).</summary>
    Sigmoid,
}
