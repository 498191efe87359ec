using System.Numerics;
using Tracker.Compute.Compute;

namespace Tracker.Compute.Optimizers;

/// <summary><c>torch.optim.Adam</c> (and AMSGrad), or <c>torch.optim.AdamW</c> when <c>decoupledWeightDecay</c> is set.</summary>
public sealed class Adam<T> : FirstOrderOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _expAvg;
    private readonly T[] _expAvgSq;
    private readonly T[] _maxExpAvgSq;

    /// <summary>Creates Adam with PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8).</summary>
    public Adam(
        int dimension,
        double lr = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double eps = 1e-8,
        double weightDecay = 0,
        bool amsgrad = false,
        bool decoupledWeightDecay = false
    )
        : base(dimension, lr)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eps);
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), "Betas must lie in [0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(weightDecay);
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        AmsGrad = amsgrad;
        DecoupledWeightDecay = decoupledWeightDecay;
        _expAvg = new T[dimension];
        _expAvgSq = new T[dimension];
        _maxExpAvgSq = amsgrad ? new T[dimension] : [];
    }

    /// <summary>Creates <c>torch.optim.AdamW</c> with its defaults (weight decay 1e-2).</summary>
    public static Adam<T> AdamW(
        int dimension,
        double lr = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double eps = 1e-8,
        double weightDecay = 1e-2,
        bool amsgrad = false
    ) => new(dimension, lr, beta1, beta2, eps, weightDecay, amsgrad, decoupledWeightDecay: true);

    /// <summary>β₁, the first-moment decay.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the second-moment decay.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to the bias-corrected root of the second moment.</summary>
    public double Eps { get; }

    /// <summary>Weight decay (L2 in the gradient for Adam, decoupled for AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the running maximum of the second moment is used (AMSGrad).</summary>
    public bool AmsGrad { get; }

    /// <summary>Whether weight decay is decoupled (AdamW).</summary>
    public bool DecoupledWeightDecay { get; }

    /// <inheritdoc />
    protected override void Update(Span<T> parameters, ReadOnlySpan<T> gradient, long step)
    {
        // One fused pass (see AdamMomentOperator for the per-element rule, torch's _single_tensor_adam).
        var op = new AdamMomentOperator<T>(LearningRate, Beta1, Beta2, Eps, WeightDecay, AmsGrad, DecoupledWeightDecay, step);
        AdamKernel.Update(op, parameters, gradient, _expAvg, _expAvgSq, _maxExpAvgSq);
    }
}
