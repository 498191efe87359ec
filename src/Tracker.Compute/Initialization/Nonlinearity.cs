namespace Tracker.Compute.Initialization;

/// <summary>Activation functions known to <see cref="WeightInitializer.Gain"/> (PyTorch's <c>calculate_gain</c>).</summary>
internal enum Nonlinearity
{
    /// <summary>Identity / linear layer (gain 1).</summary>
    Linear,

    /// <summary>Logistic sigmoid (gain 1).</summary>
    Sigmoid,

    /// <summary>Hyperbolic tangent (gain 5/3).</summary>
    Tanh,

    /// <summary>Rectified linear unit (gain √2).</summary>
    Relu,

    /// <summary>Leaky ReLU (gain √(2 / (1 + slope²))).</summary>
    LeakyRelu,

    /// <summary>SELU (gain 3/4).</summary>
    Selu,
}
