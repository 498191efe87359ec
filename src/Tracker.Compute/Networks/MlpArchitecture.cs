namespace Tracker.Compute.Networks;

/// <summary>Shape of a fully connected classifier: inputs → <c>Depth</c> hidden layers of <c>Width</c> units → class logits.</summary>
/// <param name="Inputs">Number of input features.</param>
/// <param name="Width">Units per hidden layer.</param>
/// <param name="Depth">Number of hidden layers (0 gives softmax regression).</param>
/// <param name="Classes">Number of classes (output logits).</param>
/// <param name="Activation">Hidden nonlinearity.</param>
/// <param name="Residual">Adds the layer input to its output where the shapes agree (hidden layers 1…Depth−1).</param>
/// <param name="LayerNorm">Normalizes each hidden pre-activation over its units (PyTorch <c>LayerNorm</c>, eps 1e-5, affine).</param>
/// <param name="BatchNorm">Normalizes each hidden pre-activation unit over the rows of the batch (PyTorch <c>BatchNorm1d</c>, eps 1e-5,
/// momentum 0.1, affine): batch statistics when training, running statistics when scoring.</param>
public sealed record MlpArchitecture(
    int Inputs,
    int Width,
    int Depth,
    int Classes,
    Activation Activation = Activation.Relu,
    bool Residual = false,
    bool LayerNorm = false,
    bool BatchNorm = false
)
{
    /// <summary>Number of affine layers (hidden layers plus the output layer).</summary>
    public int LayerCount => Depth + 1;

    /// <summary>Input width of affine layer <paramref name="layer"/>.</summary>
    public int FanIn(int layer) => layer == 0 ? Inputs : Width;

    /// <summary>Output width of affine layer <paramref name="layer"/>.</summary>
    public int FanOut(int layer) => layer == Depth ? Classes : Width;

    /// <summary>Whether hidden layer <paramref name="layer"/> has a skip connection.</summary>
    public bool HasSkip(int layer) => Residual && layer > 0 && layer < Depth;
}
