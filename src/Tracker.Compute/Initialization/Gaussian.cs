namespace Tracker.Compute.Initialization;

/// <summary>Standard normal draws from a seeded <see cref="Random"/> (Box–Muller, one draw per call).</summary>
internal static class Gaussian
{
    /// <summary>Returns one N(0, 1) draw.</summary>
    public static double Next(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
