namespace Tracker.Compute.Initialization;

/// <summary>Seeded weight initializers with <c>torch.nn.init</c> semantics (Xavier/Glorot, Kaiming/He).</summary>
internal static class WeightInitializer
{
    /// <summary><c>calculate_gain</c>: the recommended gain for a nonlinearity (<paramref name="negativeSlope"/> for leaky ReLU, default 0.01).</summary>
    public static double Gain(Nonlinearity nonlinearity, double negativeSlope = 0.01) =>
        nonlinearity switch
        {
            Nonlinearity.Linear or Nonlinearity.Sigmoid => 1,
            Nonlinearity.Tanh => 5.0 / 3,
            Nonlinearity.Relu => Math.Sqrt(2.0),
            Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + (negativeSlope * negativeSlope))),
            Nonlinearity.Selu => 3.0 / 4,
            _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity)),
        };

    /// <summary><c>xavier_uniform_</c>: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)).</summary>
    public static void XavierUniform(Span<double> weights, int fanIn, int fanOut, Random rng, double gain = 1) =>
        Uniform(weights, gain * Math.Sqrt(6.0 / (fanIn + fanOut)), rng);

    /// <summary><c>xavier_normal_</c>: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out)).</summary>
    public static void XavierNormal(Span<double> weights, int fanIn, int fanOut, Random rng, double gain = 1) =>
        Normal(weights, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), rng);

    /// <summary><c>kaiming_uniform_</c>: U(−b, b) with b = √3·gain/√fan (fan_in by default; gain from <paramref name="nonlinearity"/> and slope <paramref name="a"/>).</summary>
    public static void KaimingUniform(
        Span<double> weights,
        int fanIn,
        int fanOut,
        Random rng,
        double a = 0,
        bool fanOutMode = false,
        Nonlinearity nonlinearity = Nonlinearity.LeakyRelu
    ) => Uniform(weights, Math.Sqrt(3.0) * Gain(nonlinearity, a) / Math.Sqrt(fanOutMode ? fanOut : fanIn), rng);

    /// <summary><c>kaiming_normal_</c>: N(0, σ²) with σ = gain/√fan.</summary>
    public static void KaimingNormal(
        Span<double> weights,
        int fanIn,
        int fanOut,
        Random rng,
        double a = 0,
        bool fanOutMode = false,
        Nonlinearity nonlinearity = Nonlinearity.LeakyRelu
    ) => Normal(weights, Gain(nonlinearity, a) / Math.Sqrt(fanOutMode ? fanOut : fanIn), rng);

    /// <summary>U(−bound, bound) draws.</summary>
    public static void Uniform(Span<double> weights, double bound, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = ((2 * rng.NextDouble()) - 1) * bound;
        }
    }

    /// <summary>N(0, std²) draws.</summary>
    public static void Normal(Span<double> weights, double std, Random rng)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = std * Gaussian.Next(rng);
        }
    }
}
