using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tracker.Compute.Compute;

/// <summary>One element of PyTorch's single-tensor Adam/AMSGrad/AdamW step, as a TensorPrimitives-style operator (scalar and 128/256/512-bit forms).</summary>
/// <remarks>
/// Per element, in <c>torch.optim.adam._single_tensor_adam</c>'s order:
/// <code>
/// p ← p·(1 − lr·wd)                     (AdamW)   or   g ← g + wd·p   (Adam with L2)
/// m ← lerp(m, g, 1 − β₁)                (torch's lerp: m + w(g − m) for w &lt; ½, else g + (w − 1)(g − m))
/// v ← v·β₂ + ((1 − β₂)·g)·g
/// v̂ ← max(v̂, v)                         (AMSGrad; the denominator then uses v̂)
/// denom ← √v / √(1 − β₂ᵗ) + ε
/// p ← p + ((−lr / (1 − β₁ᵗ))·m) / denom
/// </code>
/// The hyper-parameters are combined in <c>double</c> (as Python does) and cast once to <typeparamref name="T"/>.
/// No fused multiply-add is used, so an element gets the same bits in a vector lane as in the scalar tail.
/// </remarks>
/// <typeparam name="T"><c>float</c> or <c>double</c>.</typeparam>
internal readonly struct AdamMomentOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _decay;
    private readonly T _l2;
    private readonly T _lerpWeight;
    private readonly bool _lerpFromAverage;
    private readonly T _beta2;
    private readonly T _oneMinusBeta2;
    private readonly T _negativeStepSize;
    private readonly T _biasCorrection2Sqrt;
    private readonly T _eps;

    /// <summary>Prepares the coefficients of step <paramref name="step"/> (counted from 1).</summary>
    public AdamMomentOperator(double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad, bool decoupledWeightDecay, long step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        AmsGrad = amsgrad;
        DecoupledDecay = weightDecay != 0 && decoupledWeightDecay;
        L2Decay = weightDecay != 0 && !decoupledWeightDecay;
        _decay = T.CreateTruncating(1 - (lr * weightDecay));
        _l2 = T.CreateTruncating(weightDecay);

        // torch.lerp(start, end, w): start + w(end − start) when |w| < 0.5, otherwise end + (w − 1)(end − start).
        var weight = 1 - beta1;
        _lerpFromAverage = Math.Abs(weight) < 0.5;
        var w = T.CreateTruncating(weight);
        _lerpWeight = _lerpFromAverage ? w : w - T.One;
        _beta2 = T.CreateTruncating(beta2);
        _oneMinusBeta2 = T.CreateTruncating(1 - beta2);
        _negativeStepSize = T.CreateTruncating(-(lr / (1 - Math.Pow(beta1, step))));
        _biasCorrection2Sqrt = T.CreateTruncating(Math.Sqrt(1 - Math.Pow(beta2, step)));
        _eps = T.CreateTruncating(eps);
    }

    /// <summary>Whether the running maximum of the second moment is kept and used (AMSGrad).</summary>
    public bool AmsGrad { get; }

    /// <summary>Whether parameters are shrunk by 1 − lr·wd before the update (AdamW).</summary>
    public bool DecoupledDecay { get; }

    /// <summary>Whether wd·p is added to the gradient (Adam's L2 penalty).</summary>
    public bool L2Decay { get; }

    /// <summary>Updates one element: returns the new parameter and updates m, v (and v̂ for AMSGrad) in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T p, T g, ref T m, ref T v, ref T vMax)
    {
        if (DecoupledDecay)
        {
            p *= _decay;
        }
        else if (L2Decay)
        {
            g += _l2 * p;
        }

        var d = g - m;
        m = (_lerpFromAverage ? m : g) + (_lerpWeight * d);
        v = (v * _beta2) + (_oneMinusBeta2 * g * g);
        var second = v;
        if (AmsGrad)
        {
            vMax = T.Max(vMax, v);
            second = vMax;
        }

        var denom = (T.Sqrt(second) / _biasCorrection2Sqrt) + _eps;
        return p + (_negativeStepSize * m / denom);
    }

    /// <summary>Updates one 128-bit vector of elements (see the scalar form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> p, Vector128<T> g, ref Vector128<T> m, ref Vector128<T> v, ref Vector128<T> vMax)
    {
        if (DecoupledDecay)
        {
            p *= _decay;
        }
        else if (L2Decay)
        {
            g += Vector128.Create(_l2) * p;
        }

        var d = g - m;
        m = (_lerpFromAverage ? m : g) + (Vector128.Create(_lerpWeight) * d);
        v = (v * _beta2) + (Vector128.Create(_oneMinusBeta2) * g * g);
        var second = v;
        if (AmsGrad)
        {
            vMax = Vector128.Max(vMax, v);
            second = vMax;
        }

        var denom = (Vector128.Sqrt(second) / _biasCorrection2Sqrt) + Vector128.Create(_eps);
        return p + (Vector128.Create(_negativeStepSize) * m / denom);
    }

    /// <summary>Updates one 256-bit vector of elements (see the scalar form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> p, Vector256<T> g, ref Vector256<T> m, ref Vector256<T> v, ref Vector256<T> vMax)
    {
        if (DecoupledDecay)
        {
            p *= _decay;
        }
        else if (L2Decay)
        {
            g += Vector256.Create(_l2) * p;
        }

        var d = g - m;
        m = (_lerpFromAverage ? m : g) + (Vector256.Create(_lerpWeight) * d);
        v = (v * _beta2) + (Vector256.Create(_oneMinusBeta2) * g * g);
        var second = v;
        if (AmsGrad)
        {
            vMax = Vector256.Max(vMax, v);
            second = vMax;
        }

        var denom = (Vector256.Sqrt(second) / _biasCorrection2Sqrt) + Vector256.Create(_eps);
        return p + (Vector256.Create(_negativeStepSize) * m / denom);
    }

    /// <summary>Updates one 512-bit vector of elements (see the scalar form).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> p, Vector512<T> g, ref Vector512<T> m, ref Vector512<T> v, ref Vector512<T> vMax)
    {
        if (DecoupledDecay)
        {
            p *= _decay;
        }
        else if (L2Decay)
        {
            g += Vector512.Create(_l2) * p;
        }

        var d = g - m;
        m = (_lerpFromAverage ? m : g) + (Vector512.Create(_lerpWeight) * d);
        v = (v * _beta2) + (Vector512.Create(_oneMinusBeta2) * g * g);
        var second = v;
        if (AmsGrad)
        {
            vMax = Vector512.Max(vMax, v);
            second = vMax;
        }

        var denom = (Vector512.Sqrt(second) / _biasCorrection2Sqrt) + Vector512.Create(_eps);
        return p + (Vector512.Create(_negativeStepSize) * m / denom);
    }
}
