using System.Numerics;
using System.Numerics.Tensors;
using Tracker.Compute.Compute;
using Tracker.Compute.Initialization;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Networks;

/// <summary>A fully connected softmax classifier with mean cross-entropy loss; forward and backward passes on the blocked <see cref="Gemm"/>, all buffers preallocated.</summary>
/// <remarks>
/// Parameters live in one flat vector, layer by layer: W (fan_in × fan_out, row-major, so Z = A·W),
/// b, and with layer or batch normalization γ, β. A hidden layer computes u = LN(A·W + b) or BN(A·W + b) (or A·W + b),
/// h = act(u), and outputs h, or A + h with a skip connection. The last layer gives the logits.
/// Nothing is allocated by <see cref="Evaluate"/> or <see cref="Score"/> once constructed.
/// </remarks>
/// <typeparam name="T"><c>float</c> or <c>double</c>.</typeparam>
public sealed partial class MultilayerPerceptron<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double NormEps = 1e-5;
    private const double BatchNormMomentum = 0.1;
    private readonly Layer[] _layers;
    private readonly T[] _probabilities;
    private readonly T[] _gradA;
    private readonly T[] _gradB;
    private readonly T[] _gradZ;
    private readonly T[] _rowScratch;

    /// <summary>Builds the network's layout and buffers for mini-batches of up to <paramref name="maxBatch"/> rows.</summary>
    public MultilayerPerceptron(MlpArchitecture architecture, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(architecture.Inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(architecture.Classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(architecture.Depth);
        if (architecture.Depth > 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(architecture.Width, 1);
        }

        if (architecture.LayerNorm && architecture.BatchNorm)
        {
            throw new ArgumentException("Choose layer normalization or batch normalization, not both.", nameof(architecture));
        }

        Architecture = architecture;
        MaxBatch = maxBatch;
        _layers = new Layer[architecture.LayerCount];
        var blocks = new List<ParameterBlock>();
        var layers = new List<ParameterBlock>();
        var offset = 0;
        var widest = architecture.Inputs;
        for (var l = 0; l < _layers.Length; l++)
        {
            int fanIn = architecture.FanIn(l),
                fanOut = architecture.FanOut(l);
            var hidden = l < architecture.Depth;
            var norm = hidden && (architecture.LayerNorm || architecture.BatchNorm);
            var start = offset;
            var layer = new Layer
            {
                In = fanIn,
                Out = fanOut,
                Weight = offset,
                Bias = offset + (fanIn * fanOut),
                Norm = norm,
                Batch = norm && architecture.BatchNorm,
                Skip = architecture.HasSkip(l),
                Hidden = hidden,
                Z = new T[maxBatch * fanOut],
                Transposed = l > 0 ? new T[fanIn * fanOut] : [],
            };
            blocks.Add(new ParameterBlock($"layer{l}.weight", offset, fanIn * fanOut, fanIn, fanOut));
            blocks.Add(new ParameterBlock($"layer{l}.bias", layer.Bias, fanOut));
            offset = layer.Bias + fanOut;
            if (norm)
            {
                layer.Gamma = offset;
                layer.Beta = offset + fanOut;
                layer.XHat = new T[maxBatch * fanOut];
                layer.Rstd = new T[layer.Batch ? fanOut : maxBatch];
                if (layer.Batch)
                {
                    layer.Mean = new T[fanOut];
                    layer.RunningMean = new T[fanOut];
                    layer.RunningVar = new T[fanOut];
                    layer.RunningVar.AsSpan().Fill(T.One);
                }

                blocks.Add(new ParameterBlock($"layer{l}.norm.weight", layer.Gamma, fanOut));
                blocks.Add(new ParameterBlock($"layer{l}.norm.bias", layer.Beta, fanOut));
                offset += 2 * fanOut;
            }

            if (hidden)
            {
                layer.H = new T[maxBatch * fanOut];
                layer.Output = layer.Skip ? new T[maxBatch * fanOut] : layer.H;
            }

            layers.Add(new ParameterBlock($"layer{l}", start, offset - start));
            widest = Math.Max(widest, fanOut);
            _layers[l] = layer;
        }

        ParameterCount = offset;
        Blocks = blocks;
        Layers = layers;
        _probabilities = new T[maxBatch * architecture.Classes];
        _gradA = new T[maxBatch * widest];
        _gradB = new T[maxBatch * widest];
        _gradZ = new T[maxBatch * widest];
        _rowScratch = new T[widest];
    }

    /// <summary>The network's shape.</summary>
    public MlpArchitecture Architecture { get; }

    /// <summary>Largest number of rows one forward pass takes.</summary>
    public int MaxBatch { get; }

    /// <summary>Length of the flat parameter vector.</summary>
    public int ParameterCount { get; }

    /// <summary>Checked before each layer of a forward or backward pass, so a cancel stops a large network within one layer.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>Named parameter tensors (<c>layer0.weight</c>, <c>layer0.bias</c>, <c>layer0.norm.weight</c>, …).</summary>
    public IReadOnlyList<ParameterBlock> Blocks { get; }

    /// <summary>One contiguous block per affine layer (<c>layer0</c>, <c>layer1</c>, …) for per-layer gradient norms.</summary>
    public IReadOnlyList<ParameterBlock> Layers { get; }

    /// <summary>Multiply–adds of one forward and backward pass over <paramref name="rows"/> rows, counted as 2 flops each (GEMMs only).</summary>
    public long GemmFlops(int rows)
    {
        long flops = 0;
        for (var l = 0; l < _layers.Length; l++)
        {
            var mac = (long)rows * _layers[l].In * _layers[l].Out;
            flops += 2 * mac * (l == 0 ? 2 : 3);
        }

        return flops;
    }

    /// <summary>Writes initial parameters: weights by <paramref name="init"/>, biases zero (or nn.Linear's), norm scale 1 and shift 0.</summary>
    public void Initialize(Span<double> parameters, WeightInit init, Random rng)
    {
        ArgumentNullException.ThrowIfNull(init);
        ArgumentNullException.ThrowIfNull(rng);
        parameters[..ParameterCount].Clear();
        var nonlinearity = Architecture.Activation switch
        {
            Activation.Tanh => Nonlinearity.Tanh,
            Activation.Sigmoid => Nonlinearity.Sigmoid,
            _ => Nonlinearity.Relu,
        };
        foreach (var layer in _layers)
        {
            var w = parameters.Slice(layer.Weight, layer.In * layer.Out);
            switch (init.Scheme)
            {
                case InitScheme.Default:
                    var bound = 1 / Math.Sqrt(layer.In);
                    WeightInitializer.Uniform(w, bound, rng);
                    WeightInitializer.Uniform(parameters.Slice(layer.Bias, layer.Out), bound, rng);
                    break;
                case InitScheme.XavierUniform:
                    WeightInitializer.XavierUniform(w, layer.In, layer.Out, rng, init.Gain);
                    break;
                case InitScheme.XavierNormal:
                    WeightInitializer.XavierNormal(w, layer.In, layer.Out, rng, init.Gain);
                    break;
                case InitScheme.KaimingUniform:
                    WeightInitializer.KaimingUniform(w, layer.In, layer.Out, rng, 0, init.FanOut, nonlinearity);
                    break;
                case InitScheme.KaimingNormal:
                    WeightInitializer.KaimingNormal(w, layer.In, layer.Out, rng, 0, init.FanOut, nonlinearity);
                    break;
                case InitScheme.Normal:
                    WeightInitializer.Normal(w, init.Scale, rng);
                    break;
                case InitScheme.Uniform:
                    WeightInitializer.Uniform(w, init.Scale, rng);
                    break;
                default:
                    break;
            }

            if (layer.Norm)
            {
                parameters.Slice(layer.Gamma, layer.Out).Fill(1);
            }
        }
    }

    /// <summary>Mean cross-entropy over <paramref name="rows"/> rows; writes the gradient of that mean into <paramref name="gradient"/>.</summary>
    public double Evaluate(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int rows, Span<T> gradient)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxBatch);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        CheckSizes(parameters, inputs, labels, rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(gradient.Length, ParameterCount, nameof(gradient));
        var (loss, _) = Forward(parameters, inputs, labels, rows, training: true);
        Backward(parameters, inputs, labels, rows, gradient);
        return loss / rows;
    }

    /// <summary>Mean cross-entropy and accuracy over any number of rows (in chunks of <see cref="MaxBatch"/>), without a gradient.</summary>
    public (double Loss, double Accuracy) Score(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int rows)
    {
        CheckSizes(parameters, inputs, labels, rows);
        if (rows == 0)
        {
            return (double.NaN, double.NaN);
        }

        double loss = 0;
        long correct = 0;
        var d = Architecture.Inputs;
        for (var start = 0; start < rows; start += MaxBatch)
        {
            var n = Math.Min(MaxBatch, rows - start);
            var (l, c) = Forward(parameters, inputs.Slice(start * d, n * d), labels.Slice(start, n), n, training: false);
            loss += l;
            correct += c;
        }

        return (loss / rows, (double)correct / rows);
    }

    private void CheckSizes(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameters.Length, ParameterCount, nameof(parameters));
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs.Length, rows * Architecture.Inputs, nameof(inputs));
        ArgumentOutOfRangeException.ThrowIfLessThan(labels.Length, rows, nameof(labels));
    }

    /// <summary>Runs the layers on <paramref name="rows"/> rows; returns the summed loss and the number of correct predictions.</summary>
    /// <remarks>In <paramref name="training"/> mode batch normalization uses (and updates the running averages with) the batch's statistics; otherwise its running statistics (PyTorch's train/eval modes).</remarks>
    private (double Loss, int Correct) Forward(ReadOnlySpan<T> parameters, ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int rows, bool training)
    {
        var a = inputs;
        foreach (var layer in _layers)
        {
            Cancellation.ThrowIfCancellationRequested();
            var z = layer.Z.AsSpan(0, rows * layer.Out);
            Gemm.Multiply(a, parameters.Slice(layer.Weight, layer.In * layer.Out), z, rows, layer.In, layer.Out);
            var bias = parameters.Slice(layer.Bias, layer.Out);
            for (var i = 0; i < rows; i++)
            {
                var row = z.Slice(i * layer.Out, layer.Out);
                TensorPrimitives.Add(row, bias, row);
            }

            if (!layer.Hidden)
            {
                break;
            }

            if (layer.Batch)
            {
                BatchNormalizeForward(layer, parameters, rows, training);
            }
            else if (layer.Norm)
            {
                NormalizeForward(layer, parameters, rows);
            }

            var h = layer.H.AsSpan(0, rows * layer.Out);
            switch (Architecture.Activation)
            {
                case Activation.Relu:
                    TensorPrimitives.Max(z, T.Zero, h);
                    break;
                case Activation.Tanh:
                    TensorPrimitives.Tanh(z, h);
                    break;
                default:
                    TensorPrimitives.Sigmoid(z, h);
                    break;
            }

            if (layer.Skip)
            {
                TensorPrimitives.Add(a[..(rows * layer.In)], h, layer.Output.AsSpan(0, rows * layer.Out));
            }

            a = layer.Output.AsSpan(0, rows * layer.Out);
        }

        return SoftmaxCrossEntropy(labels, rows);
    }

    private (double Loss, int Correct) SoftmaxCrossEntropy(ReadOnlySpan<int> labels, int rows)
    {
        var c = Architecture.Classes;
        var logits = _layers[^1].Z;
        double loss = 0;
        var correct = 0;
        for (var i = 0; i < rows; i++)
        {
            var z = logits.AsSpan(i * c, c);
            var p = _probabilities.AsSpan(i * c, c);
            var y = labels[i];
            if ((uint)y >= (uint)c)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {y} is outside 0..{c - 1}.");
            }

            var max = TensorPrimitives.Max<T>(z);
            TensorPrimitives.Subtract(z, max, p);
            TensorPrimitives.Exp(p, p);
            var sum = TensorPrimitives.Sum<T>(p);
            TensorPrimitives.Divide(p, sum, p);
            loss += double.CreateTruncating(max - z[y]) + Math.Log(double.CreateTruncating(sum));
            if (TensorPrimitives.IndexOfMax<T>(z) == y)
            {
                correct++;
            }
        }

        return (loss, correct);
    }

    /// <summary>One affine layer's offsets into the parameter vector and its activation buffers.</summary>
    private sealed class Layer
    {
        public int In;
        public int Out;
        public int Weight;
        public int Bias;
        public int Gamma;
        public int Beta;
        public bool Norm;
        public bool Batch;
        public bool Skip;
        public bool Hidden;
        public T[] Z = [];
        public T[] XHat = [];
        public T[] Rstd = [];
        public T[] Mean = [];
        public T[] RunningMean = [];
        public T[] RunningVar = [];
        public T[] H = [];
        public T[] Output = [];
        public T[] Transposed = [];
    }
}
