using Tracker.Compute.Compute;
using Tracker.Compute.Initialization;

namespace Tracker.Compute.Tests.Initialization;

public sealed class InitializationStatisticsTests
{
    private const int Draws = 200_000;

    private static (double Mean, double Variance) Moments(double[] w)
    {
        var mean = w.Average();
        return (mean, w.Sum(v => (v - mean) * (v - mean)) / w.Length);
    }

    [Fact]
    public void Gains_match_calculate_gain()
    {
        Assert.Equal(5.0 / 3, WeightInitializer.Gain(Nonlinearity.Tanh));
        Assert.Equal(Math.Sqrt(2), WeightInitializer.Gain(Nonlinearity.Relu));
        Assert.Equal(1, WeightInitializer.Gain(Nonlinearity.Sigmoid));
        Assert.Equal(Math.Sqrt(2 / (1 + 0.0001)), WeightInitializer.Gain(Nonlinearity.LeakyRelu));
        Assert.Equal(0.75, WeightInitializer.Gain(Nonlinearity.Selu));
    }

    [Fact]
    public void Xavier_and_kaiming_draws_have_the_formula_variance()
    {
        var w = new double[Draws];
        const int fanIn = 300,
            fanOut = 100;
        var rng = new Random(7);

        WeightInitializer.XavierUniform(w, fanIn, fanOut, rng);
        var (m, v) = Moments(w);
        var a = Math.Sqrt(6.0 / (fanIn + fanOut));
        Assert.Equal(0, m, 2e-3);
        Assert.Equal(a * a / 3, v, 0.02 * a * a / 3);
        Assert.True(w.Max() <= a && w.Min() >= -a);

        WeightInitializer.XavierNormal(w, fanIn, fanOut, rng, gain: 5.0 / 3);
        (m, v) = Moments(w);
        Assert.Equal(25.0 / 9 * 2 / (fanIn + fanOut), v, 0.02 * 25.0 / 9 * 2 / (fanIn + fanOut));

        WeightInitializer.KaimingNormal(w, fanIn, fanOut, rng, nonlinearity: Nonlinearity.Relu);
        (m, v) = Moments(w);
        Assert.Equal(0, m, 2e-3);
        Assert.Equal(2.0 / fanIn, v, 0.02 * 2.0 / fanIn);

        WeightInitializer.KaimingUniform(w, fanIn, fanOut, rng, fanOutMode: true, nonlinearity: Nonlinearity.Relu);
        (m, v) = Moments(w);
        Assert.Equal(2.0 / fanOut, v, 0.02 * 2.0 / fanOut);
        Assert.True(w.Max() <= Math.Sqrt(6.0 / fanOut));
    }

    [Fact]
    public void Same_seed_gives_same_weights()
    {
        double[] a = new double[10],
            b = new double[10];
        WeightInitializer.KaimingUniform(a, 5, 2, new Random(1));
        WeightInitializer.KaimingUniform(b, 5, 2, new Random(1));
        Assert.Equal(a, b);
    }

    [Fact]
    public void Clip_grad_norm_returns_the_pre_clip_norm_and_scales_by_max_over_total_plus_eps()
    {
        var g = new double[] { 3, 4 };
        var total = GradientClipping.ClipByNorm<double>(g, 1.0);
        Assert.Equal(5, total, 1e-15);
        Assert.Equal(3 * (1 / (5 + 1e-6)), g[0], 1e-15);
        Assert.Equal(4 * (1 / (5 + 1e-6)), g[1], 1e-15);

        var small = new double[] { 0.3, 0.4 };
        Assert.Equal(0.5, GradientClipping.ClipByNorm<double>(small, 1.0), 1e-15);
        Assert.Equal([0.3, 0.4], small);

        var v = new double[] { -3, 0.5, 2 };
        GradientClipping.ClipByValue<double>(v, 1);
        Assert.Equal([-1, 0.5, 1], v);
    }
}
