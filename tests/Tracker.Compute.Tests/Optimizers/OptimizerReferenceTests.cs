using Tracker.Compute.Optimizers;

namespace Tracker.Compute.Tests.Optimizers;

/// <summary>Each optimizer against PyTorch's update rule written out by hand, on f(x) = ½(x₀² + 10 x₁²) from (1, −2).</summary>
public sealed class OptimizerReferenceTests
{
    private static readonly double[] Lambda = [1.0, 10.0];
    private static readonly double[] Start = [1.0, -2.0];

    private static double Grad(int i, double x) => Lambda[i] * x;

    private static double[] Run(FirstOrderOptimizer<double> opt, int steps)
    {
        var x = (double[])Start.Clone();
        var g = new double[2];
        for (var s = 0; s < steps; s++)
        {
            for (var i = 0; i < 2; i++)
            {
                g[i] = Grad(i, x[i]);
            }

            opt.Step(x, g);
        }

        return x;
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-12);
        }
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0, false)]
    [InlineData(0.9, 0.0, 0.0, false)]
    [InlineData(0.9, 0.5, 0.01, false)]
    [InlineData(0.8, 0.0, 0.1, true)]
    public void Sgd_matches_reference_update_rule(double momentum, double dampening, double wd, bool nesterov)
    {
        const double lr = 0.05;
        var x = (double[])Start.Clone();
        var buf = new double[2];
        for (var t = 1; t <= 3; t++)
        {
            for (var i = 0; i < 2; i++)
            {
                var d = Grad(i, x[i]) + (wd * x[i]);
                if (momentum != 0)
                {
                    buf[i] = t == 1 ? d : (momentum * buf[i]) + ((1 - dampening) * d);
                    d = nesterov ? d + (momentum * buf[i]) : buf[i];
                }

                x[i] -= lr * d;
            }
        }

        AssertClose(x, Run(new StochasticGradientDescent<double>(2, lr, momentum, dampening, wd, nesterov), 3));
    }

    [Theory]
    [InlineData(0.0, false, false)]
    [InlineData(0.1, false, false)]
    [InlineData(0.0, true, false)]
    [InlineData(0.1, true, true)]
    [InlineData(0.01, false, true)]
    public void Adam_matches_reference_update_rule(double wd, bool amsgrad, bool decoupled)
    {
        const double lr = 0.1,
            b1 = 0.8,
            b2 = 0.95,
            eps = 1e-3;
        var x = (double[])Start.Clone();
        double[] m = new double[2],
            v = new double[2],
            vmax = new double[2];
        for (var t = 1; t <= 3; t++)
        {
            for (var i = 0; i < 2; i++)
            {
                var g = Grad(i, x[i]);
                if (decoupled)
                {
                    x[i] *= 1 - (lr * wd);
                }
                else
                {
                    g += wd * x[i];
                }

                m[i] = (b1 * m[i]) + ((1 - b1) * g);
                v[i] = (b2 * v[i]) + ((1 - b2) * g * g);
                vmax[i] = Math.Max(vmax[i], v[i]);
                var mhat = m[i] / (1 - Math.Pow(b1, t));
                var denom = (Math.Sqrt(amsgrad ? vmax[i] : v[i]) / Math.Sqrt(1 - Math.Pow(b2, t))) + eps;
                x[i] -= lr * mhat / denom;
            }
        }

        AssertClose(x, Run(new Adam<double>(2, lr, b1, b2, eps, wd, amsgrad, decoupled), 3));
    }

    [Fact]
    public void Adam_first_step_moves_each_coordinate_by_lr()
    {
        var x = Run(new Adam<double>(2, lr: 0.01, eps: 0), 1);
        AssertClose([1 - 0.01, -2 + 0.01], x);
    }

    [Fact]
    public void AdamW_defaults_are_pytorch_defaults()
    {
        var w = Adam<double>.AdamW(3);
        Assert.Equal(1e-2, w.WeightDecay);
        Assert.Equal(1e-3, w.LearningRate);
        Assert.True(w.DecoupledWeightDecay);
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0)]
    [InlineData(0.1, 0.05, 0.5)]
    public void AdaGrad_matches_reference_update_rule(double lrDecay, double wd, double initial)
    {
        const double lr = 0.3,
            eps = 1e-10;
        var x = (double[])Start.Clone();
        var sum = new[] { initial, initial };
        for (var t = 1; t <= 3; t++)
        {
            var clr = lr / (1 + ((t - 1) * lrDecay));
            for (var i = 0; i < 2; i++)
            {
                var g = Grad(i, x[i]) + (wd * x[i]);
                sum[i] += g * g;
                x[i] -= clr * g / (Math.Sqrt(sum[i]) + eps);
            }
        }

        AssertClose(x, Run(new AdaGrad<double>(2, lr, lrDecay, wd, initial, eps), 3));
    }

    [Theory]
    [InlineData(false, 0.0, 0.0)]
    [InlineData(true, 0.0, 0.0)]
    [InlineData(false, 0.9, 0.01)]
    [InlineData(true, 0.5, 0.1)]
    public void RmsProp_matches_reference_update_rule(bool centered, double momentum, double wd)
    {
        const double lr = 0.01,
            alpha = 0.9,
            eps = 1e-8;
        var x = (double[])Start.Clone();
        double[] sq = new double[2],
            ga = new double[2],
            buf = new double[2];
        for (var t = 1; t <= 3; t++)
        {
            for (var i = 0; i < 2; i++)
            {
                var g = Grad(i, x[i]) + (wd * x[i]);
                sq[i] = (alpha * sq[i]) + ((1 - alpha) * g * g);
                double avg;
                if (centered)
                {
                    ga[i] = (alpha * ga[i]) + ((1 - alpha) * g);
                    avg = Math.Sqrt(sq[i] - (ga[i] * ga[i]));
                }
                else
                {
                    avg = Math.Sqrt(sq[i]);
                }

                avg += eps;
                if (momentum > 0)
                {
                    buf[i] = (momentum * buf[i]) + (g / avg);
                    x[i] -= lr * buf[i];
                }
                else
                {
                    x[i] -= lr * g / avg;
                }
            }
        }

        AssertClose(x, Run(new RmsProp<double>(2, lr, alpha, eps, wd, momentum, centered), 3));
    }

    [Fact]
    public void Robbins_Monro_gradient_descent_uses_c_over_t()
    {
        var x = (double[])Start.Clone();
        for (var t = 1; t <= 4; t++)
        {
            for (var i = 0; i < 2; i++)
            {
                x[i] -= 0.05 / t * Grad(i, x[i]);
            }
        }

        AssertClose(x, Run(new GradientDescent<double>(2, 0.05, robbinsMonro: true), 4));
    }

    [Fact]
    public void Float_adam_tracks_double_adam()
    {
        var single = new Adam<float>(2, 0.1);
        var x = new float[] { 1, -2 };
        var g = new float[2];
        for (var s = 0; s < 5; s++)
        {
            g[0] = x[0];
            g[1] = 10 * x[1];
            single.Step(x, g);
        }

        var reference = Run(new Adam<double>(2, 0.1), 5);
        Assert.Equal(reference[0], x[0], 1e-5);
        Assert.Equal(reference[1], x[1], 1e-5);
    }
}
