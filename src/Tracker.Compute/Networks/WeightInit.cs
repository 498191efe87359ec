namespace Tracker.Compute.Networks;

/// <summary>An initialization choice with its options.</summary>
/// <param name="Scheme">The distribution family.</param>
/// <param name="Gain">Gain for Xavier (PyTorch default 1).</param>
/// <param name="Scale">Standard deviation for <see cref="InitScheme.Normal"/>, bound for <see cref="InitScheme.Uniform"/>.</param>
/// <param name="FanOut">Kaiming's <c>mode='fan_out'</c> (fan_in otherwise).</param>
public sealed record WeightInit(InitScheme Scheme, double Gain = 1, double Scale = 1, bool FanOut = false)
{
    /// <summary>PyTorch's <c>nn.Linear</c> initialization.</summary>
    public static WeightInit PyTorchDefault { get; } = new(InitScheme.Default);
}
