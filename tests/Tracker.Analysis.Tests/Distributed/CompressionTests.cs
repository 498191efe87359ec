using Tracker.Analysis.Distributed;

namespace Tracker.Analysis.Tests.Distributed;

public sealed class CompressionTests
{
    private static readonly double[] Vector = [0.9, -2.5, 0.01, 0, 1.7, -0.3, 3.2, -1.1];

    [Fact]
    public void Qsgd_is_unbiased_and_lands_on_the_two_neighbouring_levels()
    {
        const int Levels = 4, Draws = 40_000;
        var norm = Math.Sqrt(Vector.Sum(v => v * v));
        var q = new QsgdCompressor(Levels);
        var rng = new Random(7);
        var mean = new double[Vector.Length];
        var buffer = new double[Vector.Length];
        for (var m = 0; m < Draws; m++)
        {
            Vector.CopyTo(buffer, 0);
            q.Compress(buffer, rng);
            for (var i = 0; i < buffer.Length; i++)
            {
                var r = Math.Abs(Vector[i]) / norm * Levels;
                var level = Math.Abs(buffer[i]) * Levels / norm;
                Assert.True(Math.Abs(level - Math.Floor(r)) < 1e-9 || Math.Abs(level - Math.Floor(r) - 1) < 1e-9);
                Assert.True(buffer[i] == 0 || Math.Sign(buffer[i]) == Math.Sign(Vector[i]));
                mean[i] += buffer[i] / Draws;
            }
        }

        // Each coordinate is a two-point variable with spread norm/s: variance ≤ (norm/s)²/4; allow 5σ of the mean.
        var tolerance = 5 * norm / (2 * Levels) / Math.Sqrt(Draws);
        for (var i = 0; i < Vector.Length; i++)
        {
            Assert.True(Math.Abs(mean[i] - Vector[i]) < tolerance, $"coordinate {i}: {mean[i]} vs {Vector[i]} (±{tolerance})");
        }
    }

    [Fact]
    public void Qsgd_bytes_count_sign_and_level_bits_per_coordinate_plus_the_norm()
    {
        // s = 4 needs 3 level bits (0..4): 1000 coordinates × 4 bits + 64 = 4064 bits = 508 bytes.
        Assert.Equal(508, QsgdCompressor.WireBytes(1000, 4));
        // s = 1: 2 bits per coordinate; 10 coordinates → 20 + 64 = 84 bits → 11 bytes.
        Assert.Equal(11, new QsgdCompressor(1).Compress(new double[10], new Random(1)));
        Assert.Equal((((1000L * 9) + 64) + 7) / 8, QsgdCompressor.WireBytes(1000, 255));
    }

    [Fact]
    public void TopK_keeps_the_largest_and_the_residual_carries_the_rest_exactly()
    {
        var topk = new TopKCompressor(Vector.Length, 3, errorFeedback: true);
        var rng = new Random(1);
        var first = (double[])Vector.Clone();
        Assert.Equal(36, topk.Compress(first, rng));
        Assert.Equal([0, -2.5, 0, 0, 1.7, 0, 3.2, 0], first);
        Assert.Equal([0.9, 0, 0.01, 0, 0, -0.3, 0, -1.1], topk.Residual.ToArray());

        // Next message: g + e is split exactly into what is sent and what stays.
        double[] g = [1, 2, 0, 0, 0, 0, 0, 0.5];
        var accumulated = g.Zip(topk.Residual.ToArray(), (a, b) => a + b).ToArray();
        var sent = (double[])g.Clone();
        topk.Compress(sent, rng);
        Assert.Equal(3, sent.Count(v => v != 0));
        for (var i = 0; i < g.Length; i++)
        {
            Assert.Equal(accumulated[i], sent[i] + topk.Residual[i]);
            Assert.True(sent[i] == 0 || topk.Residual[i] == 0);
        }

        Assert.Equal([1 + 0.9, 2, 0, 0, 0, 0, 0, 0.5 - 1.1], sent);
        Assert.Equal([0, 0, 0.01, 0, 0, -0.3, 0, 0], topk.Residual.ToArray());
    }

    [Fact]
    public void TopK_without_feedback_drops_the_rest()
    {
        var topk = new TopKCompressor(Vector.Length, 2, errorFeedback: false);
        var g = (double[])Vector.Clone();
        Assert.Equal(24, topk.Compress(g, new Random(1)));
        Assert.Equal([0, -2.5, 0, 0, 0, 0, 3.2, 0], g);
        Assert.All(topk.Residual.ToArray(), r => Assert.Equal(0, r));
        Assert.Equal(1, TopKCompressor.KeptCount(650, 0.001));
        Assert.Equal(7, TopKCompressor.KeptCount(650, 0.01));
    }
}
