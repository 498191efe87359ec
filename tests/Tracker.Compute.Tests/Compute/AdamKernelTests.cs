using Tracker.Compute.Compute;
using Tracker.Compute.Optimizers;

namespace Tracker.Compute.Tests.Compute;

/// <summary>
/// The fused Adam kernel (through <see cref="Adam{T}"/>) against PyTorch's Adam/AMSGrad/AdamW update rule written
/// out by hand, on lengths that exercise the 512/256/128-bit bodies and the scalar tail.
/// </summary>
public sealed class AdamKernelTests
{
    private const int Steps = 6;

    public static TheoryData<int, double, double, bool, bool> Cases()
    {
        var data = new TheoryData<int, double, double, bool, bool>();
        foreach (var n in new[] { 1, 2, 3, 7, 15, 17, 33, 1000 })
        {
            data.Add(n, 0.9, 0.0, false, false); // Adam
            data.Add(n, 0.9, 0.05, false, false); // Adam + L2 weight_decay
            data.Add(n, 0.9, 0.0, true, false); // AMSGrad
            data.Add(n, 0.9, 0.1, false, true); // AdamW
            data.Add(n, 0.3, 0.1, true, true); // AdamW + AMSGrad, β₁ < ½ (torch's other lerp branch)
        }

        return data;
    }

    /// <summary>A smooth, parameter-dependent gradient g_i = a_i·p_i + b_i with a sign change, so v̂ ≠ v under AMSGrad.</summary>
    private static (double[] P, double[] A, double[] B) Problem(int n, int seed)
    {
        var rng = new Random(seed);
        var p = new double[n];
        var a = new double[n];
        var b = new double[n];
        for (var i = 0; i < n; i++)
        {
            p[i] = (rng.NextDouble() * 4) - 2;
            a[i] = 0.1 + (rng.NextDouble() * 20);
            b[i] = rng.NextDouble() - 0.5;
        }

        return (p, a, b);
    }

    /// <summary>PyTorch's rule (torch.optim.Adam docs / _single_tensor_adam), one element at a time, in double.</summary>
    private static double[] ReferenceDouble(
        double[] start,
        double[] a,
        double[] b,
        double lr,
        double b1,
        double b2,
        double eps,
        double wd,
        bool amsgrad,
        bool decoupled
    )
    {
        var p = (double[])start.Clone();
        var m = new double[p.Length];
        var v = new double[p.Length];
        var vmax = new double[p.Length];
        for (var t = 1; t <= Steps; t++)
        {
            for (var i = 0; i < p.Length; i++)
            {
                var g = (a[i] * p[i]) + b[i];
                if (decoupled)
                {
                    p[i] *= 1 - (lr * wd);
                }
                else if (wd != 0)
                {
                    g += wd * p[i];
                }

                m[i] = (b1 * m[i]) + ((1 - b1) * g);
                v[i] = (b2 * v[i]) + ((1 - b2) * g * g);
                vmax[i] = Math.Max(vmax[i], v[i]);
                var stepSize = lr / (1 - Math.Pow(b1, t));
                var denom = (Math.Sqrt(amsgrad ? vmax[i] : v[i]) / Math.Sqrt(1 - Math.Pow(b2, t))) + eps;
                p[i] -= stepSize * m[i] / denom;
            }
        }

        return p;
    }

    /// <summary>The same rule in single precision, with the hyper-parameters rounded to float as torch does for float32 tensors.</summary>
    private static float[] ReferenceFloat(
        double[] start,
        double[] a,
        double[] b,
        double lr,
        double b1,
        double b2,
        double eps,
        double wd,
        bool amsgrad,
        bool decoupled
    )
    {
        var p = start.Select(x => (float)x).ToArray();
        var m = new float[p.Length];
        var v = new float[p.Length];
        var vmax = new float[p.Length];
        for (var t = 1; t <= Steps; t++)
        {
            for (var i = 0; i < p.Length; i++)
            {
                var g = ((float)a[i] * p[i]) + (float)b[i];
                if (decoupled)
                {
                    p[i] *= (float)(1 - (lr * wd));
                }
                else if (wd != 0)
                {
                    g += (float)wd * p[i];
                }

                m[i] = ((float)b1 * m[i]) + ((float)(1 - b1) * g);
                v[i] = ((float)b2 * v[i]) + ((float)(1 - b2) * g * g);
                vmax[i] = MathF.Max(vmax[i], v[i]);
                var stepSize = (float)(lr / (1 - Math.Pow(b1, t)));
                var denom = (MathF.Sqrt(amsgrad ? vmax[i] : v[i]) / (float)Math.Sqrt(1 - Math.Pow(b2, t))) + (float)eps;
                p[i] -= stepSize * m[i] / denom;
            }
        }

        return p;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Double_adam_matches_pytorch_rule_at_every_length(int n, double b1, double wd, bool amsgrad, bool decoupled)
    {
        const double lr = 0.05,
            b2 = 0.99,
            eps = 1e-8;
        var (start, a, b) = Problem(n, seed: n);
        var expected = ReferenceDouble(start, a, b, lr, b1, b2, eps, wd, amsgrad, decoupled);

        var p = (double[])start.Clone();
        var g = new double[n];
        var adam = new Adam<double>(n, lr, b1, b2, eps, wd, amsgrad, decoupled);
        for (var t = 0; t < Steps; t++)
        {
            for (var i = 0; i < n; i++)
            {
                g[i] = (a[i] * p[i]) + b[i];
            }

            adam.Step(p, g);
        }

        for (var i = 0; i < n; i++)
        {
            Assert.Equal(expected[i], p[i], 1e-12 * Math.Max(1, Math.Abs(expected[i])));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_adam_matches_pytorch_rule_at_every_length(int n, double b1, double wd, bool amsgrad, bool decoupled)
    {
        const double lr = 0.05,
            b2 = 0.99,
            eps = 1e-8;
        var (start, a, b) = Problem(n, seed: 100 + n);
        var expected = ReferenceFloat(start, a, b, lr, b1, b2, eps, wd, amsgrad, decoupled);
        var exact = ReferenceDouble(start, a, b, lr, b1, b2, eps, wd, amsgrad, decoupled);

        var p = start.Select(x => (float)x).ToArray();
        var g = new float[n];
        var adam = new Adam<float>(n, lr, b1, b2, eps, wd, amsgrad, decoupled);
        for (var t = 0; t < Steps; t++)
        {
            for (var i = 0; i < n; i++)
            {
                g[i] = ((float)a[i] * p[i]) + (float)b[i];
            }

            adam.Step(p, g);
        }

        for (var i = 0; i < n; i++)
        {
            // A few float ulps from the float rule; and single precision stays near the exact (double) trajectory.
            Assert.Equal(expected[i], p[i], 4e-6f * MathF.Max(1, MathF.Abs(expected[i])));
            Assert.Equal(exact[i], p[i], 1e-4);
        }
    }

    [Fact]
    public void First_step_moves_every_coordinate_by_lr_against_the_gradient_sign()
    {
        // With eps = 0, step 1 is p − lr·sign(g) exactly (m̂ = g, √v̂ = |g|), whatever the length.
        const double lr = 0.01;
        var (p, a, b) = Problem(1000, seed: 3);
        var start = (double[])p.Clone();
        var g = new double[p.Length];
        for (var i = 0; i < p.Length; i++)
        {
            g[i] = (a[i] * p[i]) + b[i];
        }

        new Adam<double>(p.Length, lr, eps: 0).Step(p, g);
        for (var i = 0; i < p.Length; i++)
        {
            Assert.Equal(start[i] - (lr * Math.Sign(g[i])), p[i], 1e-14);
        }
    }

    [Fact]
    public void Element_gets_the_same_bits_in_a_vector_lane_and_in_the_scalar_tail()
    {
        // Index 0 of a length-1000 run goes through the widest vector body; a length-1 run is all tail.
        var (p, a, b) = Problem(1000, seed: 11);
        var single = new[] { p[0] };
        var adamLong = new Adam<float>(1000, 0.05, weightDecay: 0.1, amsgrad: true);
        var adamShort = new Adam<float>(1, 0.05, weightDecay: 0.1, amsgrad: true);
        var pl = p.Select(x => (float)x).ToArray();
        var ps = single.Select(x => (float)x).ToArray();
        var gl = new float[1000];
        var gs = new float[1];
        for (var t = 0; t < Steps; t++)
        {
            for (var i = 0; i < 1000; i++)
            {
                gl[i] = ((float)a[i] * pl[i]) + (float)b[i];
            }

            gs[0] = ((float)a[0] * ps[0]) + (float)b[0];
            adamLong.Step(pl, gl);
            adamShort.Step(ps, gs);
        }

        Assert.Equal(BitConverter.SingleToInt32Bits(ps[0]), BitConverter.SingleToInt32Bits(pl[0]));
    }

    [Theory]
    [InlineData(false, false, 0.0)]
    [InlineData(true, false, 0.01)]
    [InlineData(false, true, 0.01)]
    public void Step_allocates_nothing(bool amsgrad, bool decoupled, double wd)
    {
        const int n = 1003;
        var pd = new double[n];
        var gd = Enumerable.Range(0, n).Select(i => Math.Sin(i)).ToArray();
        var pf = new float[n];
        var gf = gd.Select(x => (float)x).ToArray();
        var ad = new Adam<double>(n, 1e-3, weightDecay: wd, amsgrad: amsgrad, decoupledWeightDecay: decoupled);
        var af = new Adam<float>(n, 1e-3, weightDecay: wd, amsgrad: amsgrad, decoupledWeightDecay: decoupled);
        ad.Step(pd, gd);
        af.Step(pf, gf);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var t = 0; t < 10; t++)
        {
            ad.Step(pd, gd);
            af.Step(pf, gf);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Kernel_rejects_state_of_the_wrong_length()
    {
        var op = new AdamMomentOperator<double>(1e-3, 0.9, 0.999, 1e-8, 0, amsgrad: true, decoupledWeightDecay: false, step: 1);
        var p = new double[4];
        Assert.Throws<ArgumentException>(() => AdamKernel.Update(op, p, new double[4], new double[4], new double[4], new double[3]));
    }
}
