namespace Tracker.Compute.Networks;

/// <summary>How a network's weight matrices are drawn (biases start at zero except for <see cref="Default"/>).</summary>
public enum InitScheme
{
    /// <summary>PyTorch's <c>nn.Linear</c> default: weights and biases U(−1/√fan_in, 1/√fan_in).</summary>
    Default,

    /// <summary><c>xavier_uniform_</c> with the given gain.</summary>
    XavierUniform,

    /// <summary><c>xavier_normal_</c> with the given gain.</summary>
    XavierNormal,

    /// <summary><c>kaiming_uniform_</c> with the activation's gain.</summary>
    KaimingUniform,

    /// <summary><c>kaiming_normal_</c> with the activation's gain.</summary>
    KaimingNormal,

    /// <summary>Naive N(0, std²) regardless of the layer's size.</summary>
    Normal,

    /// <summary>Naive U(−bound, bound) regardless of the layer's size.</summary>
    Uniform,

    /// <summary>All zeros (fine for softmax regression, symmetric for a hidden layer).</summary>
    Zeros,
}
