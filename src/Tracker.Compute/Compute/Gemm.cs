using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tracker.Compute.Compute;

/// <summary>Cache-blocked, FMA-vectorized general matrix multiply over row-major <c>float</c>/<c>double</c> spans.</summary>
/// <remarks>
/// C (m×n) = op(A) (m×k) · B (k×n), where op(A) is A (m×k, row-major) or Aᵀ with A stored k×m.
/// The k dimension is blocked so a panel of B stays in L2; a 4-row × 2-vector register tile
/// accumulates with fused multiply-add; large products split their rows over the <see cref="WorkerTeam"/>.
/// </remarks>
public static unsafe class Gemm
{
    private const int KBlock = 256;
    private const int NBlock = 512;
    private const int RowTile = 4;
    private const long ParallelFlops = 2_000_000;

    /// <summary>C = A·B (or C += A·B when <paramref name="accumulate"/>); A is m×k, or k×m when <paramref name="transposeA"/>.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool transposeA = false, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(a.Length, m * k, nameof(a));
        ArgumentOutOfRangeException.ThrowIfLessThan(b.Length, k * n, nameof(b));
        ArgumentOutOfRangeException.ThrowIfLessThan(c.Length, m * n, nameof(c));
        if (!accumulate)
        {
            c[..(m * n)].Clear();
        }

        if (m == 0 || n == 0 || k == 0)
        {
            return;
        }

        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            var rowStride = transposeA ? 1 : k;
            var colStride = transposeA ? m : 1;
            var team = WorkerTeam.Shared;
            if (team.Size > 1 && 2L * m * n * k >= ParallelFlops && m >= RowTile * team.Size)
            {
                var job = GemmJob<T>.Instance ??= new GemmJob<T>();
                job.Set(pa, pb, pc, rowStride, colStride, m, k, n);
                team.Run(job, (m + RowTile - 1) / RowTile);
            }
            else
            {
                Kernel(pa, pb, pc, rowStride, colStride, 0, m, k, n);
            }
        }
    }

    /// <summary>Computes rows [rowStart, rowEnd) of C += op(A)·B.</summary>
    internal static void Kernel<T>(T* a, T* b, T* c, int rs, int cs, int rowStart, int rowEnd, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var p0 = 0; p0 < k; p0 += KBlock)
        {
            var kc = Math.Min(KBlock, k - p0);
            for (var j0 = 0; j0 < n; j0 += NBlock)
            {
                var nc = Math.Min(NBlock, n - j0);
                var i = rowStart;
                for (; i + RowTile <= rowEnd; i += RowTile)
                {
                    Tile4(a + (i * rs) + (p0 * cs), rs, cs, b + (p0 * n) + j0, c + (i * n) + j0, kc, nc, n);
                }

                for (; i < rowEnd; i++)
                {
                    Tile1(a + (i * rs) + (p0 * cs), cs, b + (p0 * n) + j0, c + (i * n) + j0, kc, nc, n);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        }

        return (x * y) + acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        }

        return (x * y) + acc;
    }

    private static void Tile4<T>(T* a, int rs, int cs, T* b, T* c, int kc, int nc, int ld)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var w = Vector512<T>.Count;
            for (; j + (2 * w) <= nc; j += 2 * w)
            {
                T* c0 = c + j,
                    c1 = c0 + ld,
                    c2 = c1 + ld,
                    c3 = c2 + ld;
                Vector512<T> x00 = Vector512.Load(c0),
                    x01 = Vector512.Load(c0 + w);
                Vector512<T> x10 = Vector512.Load(c1),
                    x11 = Vector512.Load(c1 + w);
                Vector512<T> x20 = Vector512.Load(c2),
                    x21 = Vector512.Load(c2 + w);
                Vector512<T> x30 = Vector512.Load(c3),
                    x31 = Vector512.Load(c3 + w);
                var bp = b + j;
                var ap = a;
                for (var p = 0; p < kc; p++, bp += ld, ap += cs)
                {
                    var b0 = Vector512.Load(bp);
                    var b1 = Vector512.Load(bp + w);
                    var a0 = Vector512.Create(ap[0]);
                    x00 = Fma(a0, b0, x00);
                    x01 = Fma(a0, b1, x01);
                    var a1 = Vector512.Create(ap[rs]);
                    x10 = Fma(a1, b0, x10);
                    x11 = Fma(a1, b1, x11);
                    var a2 = Vector512.Create(ap[2 * rs]);
                    x20 = Fma(a2, b0, x20);
                    x21 = Fma(a2, b1, x21);
                    var a3 = Vector512.Create(ap[3 * rs]);
                    x30 = Fma(a3, b0, x30);
                    x31 = Fma(a3, b1, x31);
                }

                x00.Store(c0);
                x01.Store(c0 + w);
                x10.Store(c1);
                x11.Store(c1 + w);
                x20.Store(c2);
                x21.Store(c2 + w);
                x30.Store(c3);
                x31.Store(c3 + w);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var w = Vector256<T>.Count;
            for (; j + w <= nc; j += w)
            {
                T* c0 = c + j,
                    c1 = c0 + ld,
                    c2 = c1 + ld,
                    c3 = c2 + ld;
                Vector256<T> x0 = Vector256.Load(c0),
                    x1 = Vector256.Load(c1),
                    x2 = Vector256.Load(c2),
                    x3 = Vector256.Load(c3);
                var bp = b + j;
                var ap = a;
                for (var p = 0; p < kc; p++, bp += ld, ap += cs)
                {
                    var b0 = Vector256.Load(bp);
                    x0 = Fma(Vector256.Create(ap[0]), b0, x0);
                    x1 = Fma(Vector256.Create(ap[rs]), b0, x1);
                    x2 = Fma(Vector256.Create(ap[2 * rs]), b0, x2);
                    x3 = Fma(Vector256.Create(ap[3 * rs]), b0, x3);
                }

                x0.Store(c0);
                x1.Store(c1);
                x2.Store(c2);
                x3.Store(c3);
            }
        }

        for (; j < nc; j++)
        {
            T s0 = c[j],
                s1 = c[ld + j],
                s2 = c[(2 * ld) + j],
                s3 = c[(3 * ld) + j];
            var bp = b + j;
            var ap = a;
            for (var p = 0; p < kc; p++, bp += ld, ap += cs)
            {
                var bv = *bp;
                s0 = T.FusedMultiplyAdd(ap[0], bv, s0);
                s1 = T.FusedMultiplyAdd(ap[rs], bv, s1);
                s2 = T.FusedMultiplyAdd(ap[2 * rs], bv, s2);
                s3 = T.FusedMultiplyAdd(ap[3 * rs], bv, s3);
            }

            c[j] = s0;
            c[ld + j] = s1;
            c[(2 * ld) + j] = s2;
            c[(3 * ld) + j] = s3;
        }
    }

    private static void Tile1<T>(T* a, int cs, T* b, T* c, int kc, int nc, int ld)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var w = Vector256<T>.Count;
            for (; j + w <= nc; j += w)
            {
                var x = Vector256.Load(c + j);
                var bp = b + j;
                for (var p = 0; p < kc; p++, bp += ld)
                {
                    x = Fma(Vector256.Create(a[p * cs]), Vector256.Load(bp), x);
                }

                x.Store(c + j);
            }
        }

        for (; j < nc; j++)
        {
            var s = c[j];
            for (var p = 0; p < kc; p++)
            {
                s = T.FusedMultiplyAdd(a[p * cs], b[(p * ld) + j], s);
            }

            c[j] = s;
        }
    }

    private sealed class GemmJob<T> : IRowBlockJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        public static GemmJob<T>? Instance;

        private T* _a;
        private T* _b;
        private T* _c;
        private int _rs;
        private int _cs;
        private int _m;
        private int _k;
        private int _n;

        public void Set(T* a, T* b, T* c, int rs, int cs, int m, int k, int n)
        {
            _a = a;
            _b = b;
            _c = c;
            _rs = rs;
            _cs = cs;
            _m = m;
            _k = k;
            _n = n;
        }

        public void Execute(int block, int start, int end)
        {
            var rowStart = start * RowTile;
            var rowEnd = Math.Min(_m, end * RowTile);
            Kernel(_a, _b, _c, _rs, _cs, rowStart, rowEnd, _k, _n);
        }
    }
}
