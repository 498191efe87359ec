using Tracker.Compute.Distributed;

namespace Tracker.Compute.Tests.Distributed;

public sealed class CompressionTests
{
    private static readonly double[] Vector = [0.9, -2.5, 0.01, 0, 1.7, -0.3, 3.2, -1.1];

    [Fact]
    public void Qsgd_is_unbiased_and_lands_on_the_two_neighbouring_levels()
    {
        const int Levels = 4,
            Draws = 40_000;
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

    [Theory]
    [InlineData(8, 1)]
    [InlineData(100, 1)]
    [InlineData(100, 4)]
    [InlineData(1000, 2)]
    [InlineData(1000, 16)]
    public void Qsgd_is_unbiased_with_variance_within_the_papers_bound(int n, int levels)
    {
        // QSGD, Lemma 3.1: E[Q(v)] = v and E‖Q(v) − v‖² ≤ min(n/s², √n/s)·‖v‖². Exactly, coordinate i is a two-point
        // variable ‖v‖/s·{ℓ, ℓ+1} with p = r − ℓ (r = s|vᵢ|/‖v‖), so E‖Q(v) − v‖² = (‖v‖/s)²·Σ p(1 − p).
        const int Draws = 4000;
        var rng = new Random(n + levels);
        var v = Enumerable.Range(0, n).Select(_ => (rng.NextDouble() - 0.5) * Math.Exp(3 * rng.NextDouble())).ToArray();
        var normSquared = v.Sum(x => x * x);
        var unit = Math.Sqrt(normSquared) / levels;
        var exact = 0.0;
        foreach (var x in v)
        {
            var r = Math.Abs(x) / unit;
            var p = r - Math.Floor(r);
            exact += unit * unit * p * (1 - p);
        }

        var bound = Math.Min((double)n / (levels * levels), Math.Sqrt(n) / levels) * normSquared;
        Assert.True(exact <= bound);

        var q = new QsgdCompressor(levels);
        var mean = new double[n];
        var buffer = new double[n];
        var squaredError = 0.0;
        for (var m = 0; m < Draws; m++)
        {
            v.CopyTo(buffer, 0);
            q.Compress(buffer, rng);
            for (var i = 0; i < n; i++)
            {
                mean[i] += buffer[i] / Draws;
                squaredError += (buffer[i] - v[i]) * (buffer[i] - v[i]) / Draws;
            }
        }

        // The sample mean of ‖Q(v) − v‖² (a sum of n bounded terms) is within 10 % of the exact value, hence under the bound.
        Assert.InRange(squaredError, 0.9 * exact, 1.1 * exact);
        Assert.True(squaredError <= bound);
        for (var i = 0; i < n; i++)
        {
            // Each coordinate's mean: standard deviation ≤ (‖v‖/s)/(2√Draws); allow 5σ.
            Assert.True(Math.Abs(mean[i] - v[i]) <= 5 * unit / (2 * Math.Sqrt(Draws)), $"coordinate {i}: {mean[i]} vs {v[i]}");
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
