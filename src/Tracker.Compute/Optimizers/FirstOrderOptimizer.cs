using System.Numerics;

namespace Tracker.Compute.Optimizers;

/// <summary>An optimizer that updates parameters in place from a gradient, with PyTorch's update rule and no allocation per step.</summary>
/// <typeparam name="T"><c>float</c> or <c>double</c>.</typeparam>
public abstract class FirstOrderOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Allocates the optimizer's state for <paramref name="dimension"/> parameters.</summary>
    protected FirstOrderOptimizer(int dimension, double learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        Dimension = dimension;
        LearningRate = learningRate;
    }

    /// <summary>Number of parameters the state was sized for.</summary>
    public int Dimension { get; }

    /// <summary>The learning rate used by the next step (a schedule sets it between steps).</summary>
    public double LearningRate { get; set; }

    /// <summary>Number of steps taken (PyTorch's <c>state['step']</c>).</summary>
    public long StepCount { get; private set; }

    /// <summary>The step size the last <see cref="Step"/> actually applied (the learning rate after the optimizer's own decay, e.g. Robbins–Monro lr/t or AdaGrad's lr_decay); what a run should log as <c>lr</c>.</summary>
    public double AppliedLearningRate { get; private set; }

    /// <summary>Applies one update to <paramref name="parameters"/> given <paramref name="gradient"/>.</summary>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient)
    {
        if (parameters.Length != Dimension || gradient.Length != Dimension)
        {
            throw new ArgumentException($"Expected {Dimension} parameters and gradient entries.", nameof(parameters));
        }

        StepCount++;
        AppliedLearningRate = LearningRateAt(StepCount);
        Update(parameters, gradient, StepCount);
    }

    /// <summary>The step size the update rule applies at <paramref name="step"/> (counting from 1): <see cref="LearningRate"/> unless the optimizer decays it itself.</summary>
    protected virtual double LearningRateAt(long step) => LearningRate;

    /// <summary>The update rule; <paramref name="step"/> counts from 1.</summary>
    protected abstract void Update(Span<T> parameters, ReadOnlySpan<T> gradient, long step);

    /// <summary>Converts a hyper-parameter to the element type.</summary>
    protected static T Cast(double value) => T.CreateTruncating(value);
}
