using System.Numerics.Tensors;

namespace Tracker.Compute.Networks;

/// <summary>The forward passes of layer and batch normalization.</summary>
public sealed partial class MultilayerPerceptron<T>
{
    private static void NormalizeForward(Layer layer, ReadOnlySpan<T> parameters, int rows)
    {
        var n = layer.Out;
        var gamma = parameters.Slice(layer.Gamma, n);
        var beta = parameters.Slice(layer.Beta, n);
        for (var i = 0; i < rows; i++)
        {
            var z = layer.Z.AsSpan(i * n, n);
            var xhat = layer.XHat.AsSpan(i * n, n);
            var mean = TensorPrimitives.Sum<T>(z) / T.CreateTruncating(n);
            TensorPrimitives.Subtract(z, mean, xhat);
            var variance = TensorPrimitives.SumOfSquares<T>(xhat) / T.CreateTruncating(n);
            var rstd = T.One / T.Sqrt(variance + T.CreateTruncating(NormEps));
            layer.Rstd[i] = rstd;
            TensorPrimitives.Multiply(xhat, rstd, xhat);
            TensorPrimitives.FusedMultiplyAdd(xhat, gamma, beta, z);
        }
    }

    /// <summary>Batch normalization of each unit of Z over the rows: u = γ·(z − μ)/√(σ² + ε) + β.</summary>
    private void BatchNormalizeForward(Layer layer, ReadOnlySpan<T> parameters, int rows, bool training)
    {
        var n = layer.Out;
        var gamma = parameters.Slice(layer.Gamma, n);
        var beta = parameters.Slice(layer.Beta, n);
        var mean = layer.Mean.AsSpan();
        var rstd = layer.Rstd.AsSpan();
        var eps = T.CreateTruncating(NormEps);
        if (training)
        {
            mean.Clear();
            rstd.Clear();
            for (var i = 0; i < rows; i++)
            {
                TensorPrimitives.Add(mean, layer.Z.AsSpan(i * n, n), mean);
            }

            TensorPrimitives.Divide(mean, T.CreateTruncating(rows), mean);
            var variance = rstd;
            for (var i = 0; i < rows; i++)
            {
                var xhat = layer.XHat.AsSpan(i * n, n);
                TensorPrimitives.Subtract(layer.Z.AsSpan(i * n, n), mean, xhat);
                TensorPrimitives.FusedMultiplyAdd(xhat, xhat, variance, variance);
            }

            TensorPrimitives.Divide(variance, T.CreateTruncating(rows), variance);

            // Running averages (PyTorch keeps the unbiased batch variance).
            var m = T.CreateTruncating(BatchNormMomentum);
            var unbiased = rows > 1 ? T.CreateTruncating((double)rows / (rows - 1)) : T.One;
            TensorPrimitives.Lerp(layer.RunningMean, mean, m, layer.RunningMean);
            var scratch = _rowScratch.AsSpan(0, n);
            TensorPrimitives.Multiply(variance, unbiased, scratch);
            TensorPrimitives.Lerp(layer.RunningVar, scratch, m, layer.RunningVar);

            TensorPrimitives.Add(variance, eps, rstd);
            TensorPrimitives.ReciprocalSqrt(rstd, rstd);
        }
        else
        {
            layer.RunningMean.CopyTo(mean);
            TensorPrimitives.Add(layer.RunningVar, eps, rstd);
            TensorPrimitives.ReciprocalSqrt(rstd, rstd);
        }

        for (var i = 0; i < rows; i++)
        {
            var z = layer.Z.AsSpan(i * n, n);
            var xhat = layer.XHat.AsSpan(i * n, n);
            TensorPrimitives.Subtract(z, mean, xhat);
            TensorPrimitives.Multiply(xhat, rstd, xhat);
            TensorPrimitives.FusedMultiplyAdd(xhat, gamma, beta, z);
        }
    }
}
