using System.Numerics.Tensors;
using Tracker.Compute.Compute;

namespace Tracker.Compute.Networks;

/// <summary>Backpropagation through the layers kept by the last forward pass.</summary>
public sealed partial class MultilayerPerceptron<T>
{
    private void Backward(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int rows, Span<T> gradient)
    {
        // d(mean CE)/d logits = (softmax − onehot) / rows
        var c = Architecture.Classes;
        var dz = _gradZ.AsSpan(0, rows * c);
        _probabilities.AsSpan(0, rows * c).CopyTo(dz);
        for (var i = 0; i < rows; i++)
        {
            dz[(i * c) + labels[i]] -= T.One;
        }

        TensorPrimitives.Multiply(dz, T.One / T.CreateTruncating(rows), dz);
        var gradOutput = _gradA;
        var gradInput = _gradB;
        for (var l = _layers.Length - 1; l >= 0; l--)
        {
            Cancellation.ThrowIfCancellationRequested();
            var layer = _layers[l];
            var n = layer.Out;
            if (layer.Hidden)
            {
                dz = _gradZ.AsSpan(0, rows * n);
                ActivationBackward(layer.H.AsSpan(0, rows * n), gradOutput.AsSpan(0, rows * n), dz);
                if (layer.Batch)
                {
                    BatchNormalizeBackward(layer, parameters, rows, dz, gradient);
                }
                else if (layer.Norm)
                {
                    NormalizeBackward(layer, parameters, rows, dz, gradient);
                }
            }

            var input = l == 0 ? inputs[..(rows * layer.In)] : _layers[l - 1].Output.AsSpan(0, rows * layer.In);
            Gemm.Multiply(input, dz, gradient.Slice(layer.Weight, layer.In * n), layer.In, rows, n, transposeA: true);
            var gb = gradient.Slice(layer.Bias, n);
            gb.Clear();
            for (var i = 0; i < rows; i++)
            {
                TensorPrimitives.Add(gb, dz.Slice(i * n, n), gb);
            }

            if (l == 0)
            {
                break;
            }

            // dL/dA_in = dZ·Wᵀ (+ dL/dOutput through the skip connection).
            Transpose(parameters.Slice(layer.Weight, layer.In * n), layer.Transposed, layer.In, n);
            var dIn = gradInput.AsSpan(0, rows * layer.In);
            Gemm.Multiply(dz, layer.Transposed, dIn, rows, n, layer.In);
            if (layer.Skip)
            {
                TensorPrimitives.Add(dIn, gradOutput.AsSpan(0, rows * n), dIn);
            }

            (gradOutput, gradInput) = (gradInput, gradOutput);
        }
    }

    private void ActivationBackward(ReadOnlySpan<T> h, ReadOnlySpan<T> gradOutput, Span<T> dz)
    {
        switch (Architecture.Activation)
        {
            case Activation.Relu:
                for (var i = 0; i < h.Length; i++)
                {
                    dz[i] = h[i] > T.Zero ? gradOutput[i] : T.Zero;
                }

                break;
            case Activation.Tanh:
                // (1 − h²)·g
                TensorPrimitives.Multiply(h, h, dz);
                TensorPrimitives.Negate(dz, dz);
                TensorPrimitives.FusedMultiplyAdd(dz, gradOutput, gradOutput, dz);
                break;
            default:
                // (h − h²)·g
                TensorPrimitives.Multiply(h, h, dz);
                TensorPrimitives.Subtract(h, dz, dz);
                TensorPrimitives.Multiply(dz, gradOutput, dz);
                break;
        }
    }

    /// <summary>Turns dL/du (u = γ·x̂ + β) into dL/dz in place and writes dL/dγ, dL/dβ.</summary>
    private void NormalizeBackward(Layer layer, ReadOnlySpan<T> parameters, int rows, Span<T> du, Span<T> gradient)
    {
        var n = layer.Out;
        var gamma = parameters.Slice(layer.Gamma, n);
        var gGamma = gradient.Slice(layer.Gamma, n);
        var gBeta = gradient.Slice(layer.Beta, n);
        gGamma.Clear();
        gBeta.Clear();
        var count = T.CreateTruncating(n);
        var scratch = _rowScratch.AsSpan(0, n);
        for (var i = 0; i < rows; i++)
        {
            var row = du.Slice(i * n, n);
            var xhat = layer.XHat.AsSpan(i * n, n);
            TensorPrimitives.Add(gBeta, row, gBeta);
            TensorPrimitives.FusedMultiplyAdd(row, xhat, gGamma, gGamma);
            TensorPrimitives.Multiply(row, gamma, scratch);
            var mean = TensorPrimitives.Sum<T>(scratch) / count;
            var meanDotXhat = TensorPrimitives.Dot<T>(scratch, xhat) / count;
            TensorPrimitives.Subtract(scratch, mean, row);
            TensorPrimitives.FusedMultiplyAdd(xhat, -meanDotXhat, row, row);
            TensorPrimitives.Multiply(row, layer.Rstd[i], row);
        }
    }

    /// <summary>
    /// Batch normalization's backward pass, per unit over the N rows: dβ = Σ du, dγ = Σ du·x̂ and
    /// dz = γ·rstd·(du − dβ/N − x̂·dγ/N) (the gradient through the batch mean and variance included).
    /// </summary>
    private void BatchNormalizeBackward(Layer layer, ReadOnlySpan<T> parameters, int rows, Span<T> du, Span<T> gradient)
    {
        var n = layer.Out;
        var gamma = parameters.Slice(layer.Gamma, n);
        var gGamma = gradient.Slice(layer.Gamma, n);
        var gBeta = gradient.Slice(layer.Beta, n);
        gGamma.Clear();
        gBeta.Clear();
        for (var i = 0; i < rows; i++)
        {
            var row = du.Slice(i * n, n);
            TensorPrimitives.Add(gBeta, row, gBeta);
            TensorPrimitives.FusedMultiplyAdd(row, layer.XHat.AsSpan(i * n, n), gGamma, gGamma);
        }

        var inverseRows = T.One / T.CreateTruncating(rows);
        var scale = _rowScratch.AsSpan(0, n);
        TensorPrimitives.Multiply(gamma, layer.Rstd, scale);
        for (var i = 0; i < rows; i++)
        {
            var row = du.Slice(i * n, n);
            TensorPrimitives.MultiplyAdd(gBeta, -inverseRows, row, row);
            var xhat = layer.XHat.AsSpan(i * n, n);
            for (var j = 0; j < n; j++)
            {
                row[j] -= xhat[j] * gGamma[j] * inverseRows;
            }

            TensorPrimitives.Multiply(row, scale, row);
        }
    }

    private static void Transpose(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns)
    {
        for (var i = 0; i < rows; i++)
        {
            var row = source.Slice(i * columns, columns);
            for (var j = 0; j < columns; j++)
            {
                destination[(j * rows) + i] = row[j];
            }
        }
    }
}
