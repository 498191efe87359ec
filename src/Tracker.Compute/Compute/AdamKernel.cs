using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tracker.Compute.Compute;

/// <summary>The fused Adam step: one pass over the parameters that updates m, v (v̂ for AMSGrad) and the parameters together.</summary>
/// <remarks>
/// The unfused form streams the state arrays about a dozen times per step; this reads p, g, m, v (v̂) once and
/// writes p, m, v (v̂) once. The body runs on 512-bit vectors where the hardware has them, then at most one
/// 256-bit and one 128-bit vector, then scalars: a length that is not a multiple of the width never touches
/// an element twice (an overlapping last vector would apply the moment update twice).
/// </remarks>
internal static class AdamKernel
{
    /// <summary>Applies <paramref name="op"/> to every element; <paramref name="maxExpAvgSq"/> is only read and written for AMSGrad.</summary>
    public static void Update<T>(
        in AdamMomentOperator<T> op,
        Span<T> parameters,
        ReadOnlySpan<T> gradient,
        Span<T> expAvg,
        Span<T> expAvgSq,
        Span<T> maxExpAvgSq
    )
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = parameters.Length;
        if (gradient.Length != n || expAvg.Length != n || expAvgSq.Length != n || (op.AmsGrad && maxExpAvgSq.Length != n))
        {
            throw new ArgumentException($"Expected {n} gradient and state entries.", nameof(gradient));
        }

        ref var p = ref MemoryMarshal.GetReference(parameters);
        ref var g = ref MemoryMarshal.GetReference(gradient);
        ref var m = ref MemoryMarshal.GetReference(expAvg);
        ref var v = ref MemoryMarshal.GetReference(expAvgSq);
        ref var vMax = ref op.AmsGrad ? ref MemoryMarshal.GetReference(maxExpAvgSq) : ref v;
        nuint i = 0;
        var length = (nuint)n;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i + (nuint)Vector512<T>.Count <= length; i += (nuint)Vector512<T>.Count)
            {
                Step512(op, ref p, ref g, ref m, ref v, ref vMax, i);
            }
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i + (nuint)Vector256<T>.Count <= length; i += (nuint)Vector256<T>.Count)
            {
                Step256(op, ref p, ref g, ref m, ref v, ref vMax, i);
            }
        }

        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
        {
            for (; i + (nuint)Vector128<T>.Count <= length; i += (nuint)Vector128<T>.Count)
            {
                Step128(op, ref p, ref g, ref m, ref v, ref vMax, i);
            }
        }

        for (; i < length; i++)
        {
            ref var mi = ref Unsafe.Add(ref m, i);
            ref var vi = ref Unsafe.Add(ref v, i);
            ref var pi = ref Unsafe.Add(ref p, i);
            var scratch = T.Zero;
            ref var vMaxI = ref op.AmsGrad ? ref Unsafe.Add(ref vMax, i) : ref scratch;
            pi = op.Invoke(pi, Unsafe.Add(ref g, i), ref mi, ref vi, ref vMaxI);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step512<T>(in AdamMomentOperator<T> op, ref T p, ref T g, ref T m, ref T v, ref T vMax, nuint i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mv = Vector512.LoadUnsafe(ref m, i);
        var vv = Vector512.LoadUnsafe(ref v, i);
        var vm = op.AmsGrad ? Vector512.LoadUnsafe(ref vMax, i) : default;
        var pv = op.Invoke(Vector512.LoadUnsafe(ref p, i), Vector512.LoadUnsafe(ref g, i), ref mv, ref vv, ref vm);
        pv.StoreUnsafe(ref p, i);
        mv.StoreUnsafe(ref m, i);
        vv.StoreUnsafe(ref v, i);
        if (op.AmsGrad)
        {
            vm.StoreUnsafe(ref vMax, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step256<T>(in AdamMomentOperator<T> op, ref T p, ref T g, ref T m, ref T v, ref T vMax, nuint i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mv = Vector256.LoadUnsafe(ref m, i);
        var vv = Vector256.LoadUnsafe(ref v, i);
        var vm = op.AmsGrad ? Vector256.LoadUnsafe(ref vMax, i) : default;
        var pv = op.Invoke(Vector256.LoadUnsafe(ref p, i), Vector256.LoadUnsafe(ref g, i), ref mv, ref vv, ref vm);
        pv.StoreUnsafe(ref p, i);
        mv.StoreUnsafe(ref m, i);
        vv.StoreUnsafe(ref v, i);
        if (op.AmsGrad)
        {
            vm.StoreUnsafe(ref vMax, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step128<T>(in AdamMomentOperator<T> op, ref T p, ref T g, ref T m, ref T v, ref T vMax, nuint i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mv = Vector128.LoadUnsafe(ref m, i);
        var vv = Vector128.LoadUnsafe(ref v, i);
        var vm = op.AmsGrad ? Vector128.LoadUnsafe(ref vMax, i) : default;
        var pv = op.Invoke(Vector128.LoadUnsafe(ref p, i), Vector128.LoadUnsafe(ref g, i), ref mv, ref vv, ref vm);
        pv.StoreUnsafe(ref p, i);
        mv.StoreUnsafe(ref m, i);
        vv.StoreUnsafe(ref v, i);
        if (op.AmsGrad)
        {
            vm.StoreUnsafe(ref vMax, i);
        }
    }
}
