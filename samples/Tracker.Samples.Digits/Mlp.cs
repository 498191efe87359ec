using System.Numerics.Tensors;

namespace Tracker.Samples.Digits;

/// <summary>A 64-32-10 perceptron: ReLU hidden layer, softmax cross-entropy, plain SGD on mini-batches.</summary>
internal sealed class Mlp
{
    private const int In = 64, Hidden = 32, Out = 10;
    private readonly double[] _w1 = new double[In * Hidden], _b1 = new double[Hidden], _w2 = new double[Hidden * Out], _b2 = new double[Out];
    private readonly double[] _gw1 = new double[In * Hidden], _gb1 = new double[Hidden], _gw2 = new double[Hidden * Out], _gb2 = new double[Out];
    private readonly double[] _h = new double[Hidden], _p = new double[Out], _dh = new double[Hidden];

    public Mlp(Random random)
    {
        for (var i = 0; i < _w1.Length; i++) _w1[i] = random.NextDouble() * 2 * Math.Sqrt(6.0 / In) - Math.Sqrt(6.0 / In);
        for (var i = 0; i < _w2.Length; i++) _w2[i] = random.NextDouble() * 2 * Math.Sqrt(6.0 / Hidden) - Math.Sqrt(6.0 / Hidden);
    }

    /// <summary>Gradients of the last batch, per layer (weights and biases together).</summary>
    public (string Layer, ReadOnlyMemory<double> Gradient)[] Gradients =>
        [("fc1.weight", _gw1), ("fc1.bias", _gb1), ("fc2.weight", _gw2), ("fc2.bias", _gb2)];

    /// <summary>One SGD step on a batch; returns its mean loss.</summary>
    public double Step(ReadOnlySpan<(double[] X, int Y)> batch, double lr)
    {
        Array.Clear(_gw1); Array.Clear(_gb1); Array.Clear(_gw2); Array.Clear(_gb2);
        var loss = 0.0;
        foreach (var (x, y) in batch)
        {
            loss += Forward(x, y);
            _p[y] -= 1;
            for (var o = 0; o < Out; o++) TensorPrimitives.MultiplyAdd(_h, _p[o], _gw2.AsSpan(o * Hidden, Hidden), _gw2.AsSpan(o * Hidden, Hidden));
            TensorPrimitives.Add(_gb2, _p, _gb2);
            Array.Clear(_dh);
            for (var o = 0; o < Out; o++) TensorPrimitives.MultiplyAdd(_w2.AsSpan(o * Hidden, Hidden), _p[o], _dh, _dh);
            for (var j = 0; j < Hidden; j++)
            {
                if (_h[j] <= 0) continue;
                TensorPrimitives.MultiplyAdd(x, _dh[j], _gw1.AsSpan(j * In, In), _gw1.AsSpan(j * In, In));
                _gb1[j] += _dh[j];
            }
        }
        foreach (var g in new[] { _gw1, _gb1, _gw2, _gb2 }) TensorPrimitives.Multiply(g, 1.0 / batch.Length, g);
        TensorPrimitives.MultiplyAdd(_gw1, -lr, _w1, _w1);
        TensorPrimitives.MultiplyAdd(_gb1, -lr, _b1, _b1);
        TensorPrimitives.MultiplyAdd(_gw2, -lr, _w2, _w2);
        TensorPrimitives.MultiplyAdd(_gb2, -lr, _b2, _b2);
        return loss / batch.Length;
    }

    /// <summary>Mean loss and accuracy on a set.</summary>
    public (double Loss, double Accuracy) Evaluate(IReadOnlyList<(double[] X, int Y)> set)
    {
        double loss = 0, correct = 0;
        foreach (var (x, y) in set)
        {
            loss += Forward(x, y);
            if (TensorPrimitives.IndexOfMax(_p) == y) correct++;
        }
        return (loss / set.Count, correct / set.Count);
    }

    private double Forward(double[] x, int y)
    {
        for (var j = 0; j < Hidden; j++) _h[j] = Math.Max(0, TensorPrimitives.Dot(_w1.AsSpan(j * In, In), x) + _b1[j]);
        for (var o = 0; o < Out; o++) _p[o] = TensorPrimitives.Dot(_w2.AsSpan(o * Hidden, Hidden), _h) + _b2[o];
        TensorPrimitives.SoftMax(_p, _p);
        return -Math.Log(Math.Max(_p[y], 1e-12));
    }
}
