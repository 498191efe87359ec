using Tracker.Compute.Compute;

namespace Tracker.Compute.Tests.Compute;

public sealed class GemmTests
{
    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(7, 13, 5, false)]
    [InlineData(33, 300, 70, false)]
    [InlineData(256, 784, 128, false)]
    [InlineData(256, 784, 128, true)]
    [InlineData(9, 17, 45, true)]
    [InlineData(130, 600, 10, true)]
    public void Double_gemm_matches_the_naive_triple_loop(int m, int k, int n, bool transposeA)
    {
        var rng = new Random(m + k + n);
        var a = Enumerable.Range(0, m * k).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var c = Enumerable.Range(0, m * n).Select(_ => rng.NextDouble()).ToArray();
        var expected = (double[])c.Clone();
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var s = 0.0;
                for (var p = 0; p < k; p++)
                {
                    s += (transposeA ? a[(p * m) + i] : a[(i * k) + p]) * b[(p * n) + j];
                }

                expected[(i * n) + j] += s;
            }
        }

        Gemm.Multiply<double>(a, b, c, m, k, n, transposeA, accumulate: true);
        for (var i = 0; i < c.Length; i++)
        {
            Assert.Equal(expected[i], c[i], 1e-10);
        }
    }

    [Theory]
    [InlineData(256, 784, 128)]
    [InlineData(5, 3, 40)]
    public void Float_gemm_matches_the_naive_triple_loop(int m, int k, int n)
    {
        var rng = new Random(1);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var c = new float[m * n];
        Gemm.Multiply<float>(a, b, c, m, k, n);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var s = 0.0;
                for (var p = 0; p < k; p++)
                {
                    s += (double)a[(i * k) + p] * b[(p * n) + j];
                }

                Assert.Equal(s, c[(i * n) + j], 1e-3);
            }
        }
    }
}
