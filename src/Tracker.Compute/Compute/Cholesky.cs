namespace Tracker.Compute.Compute;

/// <summary>In-place Cholesky factorization A = L Lᵀ of a row-major symmetric matrix, and the matching solve.</summary>
internal static class Cholesky
{
    /// <summary>Overwrites the lower triangle of <paramref name="a"/> (n×n) with L; false when A is not positive definite.
    /// <paramref name="cancellationToken"/> is checked per column (O(n²) work each), so a large factorization stops promptly.</summary>
    public static bool TryFactor(Span<double> a, int n, CancellationToken cancellationToken = default)
    {
        for (var j = 0; j < n; j++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var diagonal = a[(j * n) + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= a[(j * n) + k] * a[(j * n) + k];
            }

            if (!(diagonal > 0) || !double.IsFinite(diagonal))
            {
                return false;
            }

            var ljj = Math.Sqrt(diagonal);
            a[(j * n) + j] = ljj;
            for (var i = j + 1; i < n; i++)
            {
                var s = a[(i * n) + j];
                for (var k = 0; k < j; k++)
                {
                    s -= a[(i * n) + k] * a[(j * n) + k];
                }

                a[(i * n) + j] = s / ljj;
            }
        }

        return true;
    }

    /// <summary>Solves L Lᵀ x = b in place (<paramref name="b"/> becomes x), given the factor from <see cref="TryFactor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> factor, int n, Span<double> b)
    {
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++)
            {
                s -= factor[(i * n) + k] * b[k];
            }

            b[i] = s / factor[(i * n) + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var k = i + 1; k < n; k++)
            {
                s -= factor[(k * n) + i] * b[k];
            }

            b[i] = s / factor[(i * n) + i];
        }
    }
}
