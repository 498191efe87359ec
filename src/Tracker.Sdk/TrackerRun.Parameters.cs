using System.Numerics.Tensors;

namespace Tracker.Sdk;

/// <summary>Logging the parameter-update norm ‖θ_t − θ_{t−1}‖₂ that feeds the server's parameter-change stopping criterion.</summary>
public sealed partial class TrackerRun
{
    /// <summary>The series the parameter-change criterion reads by default (<c>StoppingCriteriaOptions.ParameterSeries</c>).</summary>
    public const string ParameterUpdateNormKey = "param_delta_norm";

    // Float distances are taken per chunk and their squares summed in double: a float sum over millions of parameters
    // would lose digits, and the chunks keep TensorPrimitives' vectorized path without allocating.
    private const int DistanceChunk = 16_384;

    /// <summary>Logs an already computed parameter-update norm as <see cref="ParameterUpdateNormKey"/>.</summary>
    public void LogParameterUpdateNorm(long step, double norm) => Log(step, (ParameterUpdateNormKey, norm));

    /// <summary>Logs ‖<paramref name="after"/> − <paramref name="before"/>‖₂ (the parameters before and after the update; no allocation).</summary>
    public void LogParameterUpdateNorm(long step, ReadOnlySpan<float> before, ReadOnlySpan<float> after)
    {
        var norm = ParameterUpdateNorm(before, after);
        if (_transport is not null)
            Log(step, (ParameterUpdateNormKey, norm));
    }

    /// <summary>Logs ‖<paramref name="after"/> − <paramref name="before"/>‖₂ (the parameters before and after the update; no allocation).</summary>
    public void LogParameterUpdateNorm(long step, ReadOnlySpan<double> before, ReadOnlySpan<double> after)
    {
        var norm = ParameterUpdateNorm(before, after);
        if (_transport is not null)
            Log(step, (ParameterUpdateNormKey, norm));
    }

    /// <summary>‖<paramref name="after"/> − <paramref name="before"/>‖₂, accumulated in double; throws when the lengths differ.</summary>
    public static double ParameterUpdateNorm(ReadOnlySpan<float> before, ReadOnlySpan<float> after)
    {
        if (before.Length != after.Length)
            throw new ArgumentException($"before has {before.Length} parameters, after {after.Length}.", nameof(after));
        var sumOfSquares = 0.0;
        for (var i = 0; i < before.Length; i += DistanceChunk)
        {
            var n = Math.Min(DistanceChunk, before.Length - i);
            double d = TensorPrimitives.Distance(before.Slice(i, n), after.Slice(i, n));
            sumOfSquares += d * d;
        }
        return Math.Sqrt(sumOfSquares);
    }

    /// <summary>‖<paramref name="after"/> − <paramref name="before"/>‖₂; throws when the lengths differ.</summary>
    public static double ParameterUpdateNorm(ReadOnlySpan<double> before, ReadOnlySpan<double> after)
    {
        if (before.Length != after.Length)
            throw new ArgumentException($"before has {before.Length} parameters, after {after.Length}.", nameof(after));
        return before.IsEmpty ? 0.0 : TensorPrimitives.Distance(before, after);
    }
}
