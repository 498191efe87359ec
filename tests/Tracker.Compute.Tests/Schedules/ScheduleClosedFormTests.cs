using Tracker.Compute.Schedules;

namespace Tracker.Compute.Tests.Schedules;

/// <summary>Each schedule against PyTorch's closed form (and a few hand-picked values) at many steps.</summary>
public sealed class ScheduleClosedFormTests
{
    private const double Lr = 0.1;

    [Fact]
    public void StepLR_decays_by_gamma_every_step_size()
    {
        var s = new StepLR(30, 0.1);
        Assert.Equal(0.1, s.At(0, Lr), 15);
        Assert.Equal(0.1, s.At(29, Lr), 15);
        Assert.Equal(0.01, s.At(30, Lr), 15);
        Assert.Equal(0.001, s.At(60, Lr), 15);
        for (var t = 0; t < 200; t++)
        {
            Assert.Equal(Lr * Math.Pow(0.1, t / 30), s.At(t, Lr), 15);
        }
    }

    [Fact]
    public void MultiStepLR_counts_passed_milestones()
    {
        var s = new MultiStepLR([80, 30], 0.5);
        Assert.Equal(0.1, s.At(29, Lr), 15);
        Assert.Equal(0.05, s.At(30, Lr), 15);
        Assert.Equal(0.05, s.At(79, Lr), 15);
        Assert.Equal(0.025, s.At(80, Lr), 15);
    }

    [Fact]
    public void ExponentialLR_is_geometric()
    {
        var s = new ExponentialLR(0.9);
        for (var t = 0; t < 100; t++)
        {
            Assert.Equal(Lr * Math.Pow(0.9, t), s.At(t, Lr), 14);
        }
    }

    [Fact]
    public void CosineAnnealingLR_follows_the_half_cosine()
    {
        var s = new CosineAnnealingLR(100, 0.001);
        Assert.Equal(0.1, s.At(0, Lr), 15);
        Assert.Equal(0.0505, s.At(50, Lr), 14);
        Assert.Equal(0.001, s.At(100, Lr), 15);
        for (var t = 0; t <= 100; t++)
        {
            Assert.Equal(0.001 + (0.099 * (1 + Math.Cos(Math.PI * t / 100)) / 2), s.At(t, Lr), 14);
        }
    }

    [Fact]
    public void Warm_restarts_restart_at_T0_times_powers_of_Tmult()
    {
        var s = new CosineAnnealingWarmRestarts(10, 2);
        // Restarts at 10, 30, 70: lr back to the base value there.
        foreach (var restart in new[] { 0, 10, 30, 70 })
        {
            Assert.Equal(Lr, s.At(restart, Lr), 15);
        }

        Assert.Equal(Lr / 2, s.At(5, Lr), 14);
        Assert.Equal(Lr / 2, s.At(20, Lr), 14);
        Assert.Equal(Lr / 2, s.At(50, Lr), 14);
        for (var t = 1; t < 150; t++)
        {
            // PyTorch's closed form: n = ⌊log_Tmult(t/T0 (Tmult − 1) + 1)⌋.
            var n = t < 10 ? 0 : (int)Math.Floor(Math.Log((t / 10.0) + 1, 2) + 1e-12);
            var tCur = t - (10 * (Math.Pow(2, n) - 1));
            var tI = 10 * Math.Pow(2, n);
            Assert.Equal(Lr * (1 + Math.Cos(Math.PI * tCur / tI)) / 2, s.At(t, Lr), 12);
        }

        var constant = new CosineAnnealingWarmRestarts(7);
        Assert.Equal(constant.At(3, Lr), constant.At(10, Lr), 15);
    }

    [Theory]
    [InlineData(CyclicMode.Triangular)]
    [InlineData(CyclicMode.Triangular2)]
    [InlineData(CyclicMode.ExpRange)]
    public void CyclicLR_matches_pytorch_formula(CyclicMode mode)
    {
        const double lo = 0.001,
            hi = 0.006,
            gamma = 0.99;
        var s = new CyclicLR(lo, hi, stepSizeUp: 4, stepSizeDown: 6, mode, gamma);
        Assert.Equal(lo, s.At(0, Lr), 15);
        Assert.Equal(mode == CyclicMode.ExpRange ? lo + ((hi - lo) * Math.Pow(gamma, 4)) : hi, s.At(4, Lr), 14);
        for (var t = 0; t < 60; t++)
        {
            var cycle = Math.Floor(1 + (t / 10.0));
            var x = 1 + (t / 10.0) - cycle;
            var scale = x <= 0.4 ? x / 0.4 : (x - 1) / (0.4 - 1);
            var fn = mode switch
            {
                CyclicMode.Triangular => 1,
                CyclicMode.Triangular2 => 1 / Math.Pow(2, cycle - 1),
                _ => Math.Pow(gamma, t),
            };
            Assert.Equal(lo + ((hi - lo) * scale * fn), s.At(t, Lr), 14);
        }

        if (mode == CyclicMode.Triangular2)
        {
            Assert.Equal(lo + ((hi - lo) / 2), s.At(14, Lr), 14);
        }
    }

    [Fact]
    public void LinearLR_warms_up_from_start_factor()
    {
        var s = new LinearLR();
        Assert.Equal(Lr / 3, s.At(0, Lr), 15);
        Assert.Equal(Lr * ((1.0 / 3) + (2.0 / 3 * 2 / 5)), s.At(2, Lr), 15);
        Assert.Equal(Lr, s.At(5, Lr), 15);
        Assert.Equal(Lr, s.At(500, Lr), 15);
    }

    [Fact]
    public void PolynomialLR_reaches_zero_at_total_iters()
    {
        var s = new PolynomialLR(10, 2);
        for (var t = 0; t <= 20; t++)
        {
            Assert.Equal(Lr * Math.Pow(1 - (Math.Min(t, 10) / 10.0), 2), s.At(t, Lr), 15);
        }

        Assert.Equal(0, s.At(10, Lr));
    }

    [Fact]
    public void OneCycleLR_rises_to_max_then_anneals_to_min()
    {
        var s = new OneCycleLR(maxLr: 1.0, totalSteps: 100);
        Assert.Equal(0.04, s.At(0, Lr), 15);
        Assert.Equal(1.0, s.At(29, Lr), 15);
        Assert.Equal(0.04 / 1e4, s.At(99, Lr), 15);
        for (var t = 0; t < 100; t++)
        {
            double expected;
            if (t <= 29)
            {
                var pct = t / 29.0;
                expected = 1.0 + ((0.04 - 1.0) / 2 * (Math.Cos(Math.PI * pct) + 1));
            }
            else
            {
                var pct = (t - 29.0) / (99 - 29.0);
                expected = 4e-6 + ((1.0 - 4e-6) / 2 * (Math.Cos(Math.PI * pct) + 1));
            }

            Assert.Equal(expected, s.At(t, Lr), 14);
        }

        var linear = new OneCycleLR(1.0, 100, cosine: false, threePhase: true);
        Assert.Equal(0.04 + (0.96 * 10 / 29.0), linear.At(10, Lr), 14);
        Assert.Equal(1.0, linear.At(29, Lr), 14);
        Assert.Equal(0.04, linear.At(58, Lr), 14);
    }

    [Fact]
    public void WarmupCosine_and_inverse_time_follow_their_formulas()
    {
        var w = new WarmupCosineLR(10, 110);
        Assert.Equal(0, w.At(0, Lr));
        Assert.Equal(Lr / 2, w.At(5, Lr), 15);
        Assert.Equal(Lr, w.At(10, Lr), 15);
        Assert.Equal(Lr / 2, w.At(60, Lr), 14);
        Assert.Equal(0, w.At(110, Lr), 15);

        var inv = new InverseTimeLR(1);
        for (var t = 0; t < 50; t++)
        {
            Assert.Equal(Lr / (1 + t), inv.At(t, Lr), 15);
        }
    }
}
