using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tracker.Compute.Compute;

/// <summary>Four-row dot products and rank-4 updates for the fused linear-model sweep (w and g are loaded once per four rows).</summary>
internal static class RowKernels
{
    /// <summary>z[0..4) = rows r..r+3 of X (ld = cols) dotted with w.</summary>
    public static void Dot4(ReadOnlySpan<double> x, int cols, ReadOnlySpan<double> w, Span<double> z)
    {
        ref var x0 = ref MemoryMarshal.GetReference(x);
        ref var wr = ref MemoryMarshal.GetReference(w);
        var j = 0;
        double s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> a0 = default,
                a1 = default,
                a2 = default,
                a3 = default;
            for (; j + 8 <= cols; j += 8)
            {
                var wv = Vector512.LoadUnsafe(ref wr, (nuint)j);
                a0 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)j), wv, a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)(cols + j)), wv, a1);
                a2 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)((2 * cols) + j)), wv, a2);
                a3 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)((3 * cols) + j)), wv, a3);
            }

            (s0, s1, s2, s3) = (Vector512.Sum(a0), Vector512.Sum(a1), Vector512.Sum(a2), Vector512.Sum(a3));
        }

        for (; j < cols; j++)
        {
            var wj = Unsafe.Add(ref wr, j);
            s0 += Unsafe.Add(ref x0, j) * wj;
            s1 += Unsafe.Add(ref x0, cols + j) * wj;
            s2 += Unsafe.Add(ref x0, (2 * cols) + j) * wj;
            s3 += Unsafe.Add(ref x0, (3 * cols) + j) * wj;
        }

        z[0] = s0;
        z[1] = s1;
        z[2] = s2;
        z[3] = s3;
    }

    /// <summary>g += Σₖ r[k]·row k for the four rows starting at x.</summary>
    public static void Update4(ReadOnlySpan<double> x, int cols, ReadOnlySpan<double> r, Span<double> g)
    {
        ref var x0 = ref MemoryMarshal.GetReference(x);
        ref var gr = ref MemoryMarshal.GetReference(g);
        double r0 = r[0],
            r1 = r[1],
            r2 = r[2],
            r3 = r[3];
        var j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> v0 = Vector512.Create(r0),
                v1 = Vector512.Create(r1),
                v2 = Vector512.Create(r2),
                v3 = Vector512.Create(r3);
            for (; j + 8 <= cols; j += 8)
            {
                var acc = Vector512.LoadUnsafe(ref gr, (nuint)j);
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)j), v0, acc);
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)(cols + j)), v1, acc);
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)((2 * cols) + j)), v2, acc);
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)((3 * cols) + j)), v3, acc);
                acc.StoreUnsafe(ref gr, (nuint)j);
            }
        }

        for (; j < cols; j++)
        {
            Unsafe.Add(ref gr, j) +=
                (Unsafe.Add(ref x0, j) * r0)
                + (Unsafe.Add(ref x0, cols + j) * r1)
                + (Unsafe.Add(ref x0, (2 * cols) + j) * r2)
                + (Unsafe.Add(ref x0, (3 * cols) + j) * r3);
        }
    }

    /// <summary>Logistic loss terms and residuals for a chunk: loss = Σ softplus(z) − y z, r = σ(z) − y.</summary>
    public static double LogisticResiduals(Span<double> z, ReadOnlySpan<double> y, Span<double> r, Span<double> scratch)
    {
        // e = exp(−|z|); softplus(z) = max(z, 0) + log(1 + e); σ(z) = (z ≥ 0 ? 1 : e) / (1 + e).
        TensorPrimitives.Abs(z, scratch);
        TensorPrimitives.Negate(scratch, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        var loss = -TensorPrimitives.Dot(y, z);
        for (var i = 0; i < z.Length; i++)
        {
            var e = scratch[i];
            r[i] = ((z[i] >= 0 ? 1 : e) / (1 + e)) - y[i];
            loss += Math.Max(z[i], 0);
        }

        TensorPrimitives.LogP1(scratch, scratch);
        return loss + TensorPrimitives.Sum(scratch);
    }
}
