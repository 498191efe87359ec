using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Tracker.Compute.Networks;

namespace Tracker.Compute.Problems;

/// <summary>A <see cref="MultilayerPerceptron{T}"/> (or, with depth 0, softmax regression) trained on a real data set with mini-batches.</summary>
/// <remarks>
/// Hosted experiments step the parameters in <typeparamref name="T"/> through <see cref="EvaluateBatch"/> and
/// <see cref="ScoreTraining"/>/<see cref="ScoreValidation"/> (a float32 network has float32 parameters and optimizer
/// state, as in PyTorch). The <see cref="ReferenceProblem"/> members take <c>double</c> parameters; with
/// <typeparamref name="T"/> = <c>float</c> they convert them to a single-precision copy (no allocation per call).
/// </remarks>
/// <typeparam name="T"><c>float</c> or <c>double</c>: the precision of the network's arithmetic.</typeparam>
public sealed class MlpProblem<T> : ReferenceProblem
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MultilayerPerceptron<T> _network;
    private readonly WeightInit _init;
    private readonly T[] _trainX;
    private readonly int[] _trainY;
    private readonly T[] _validationX;
    private readonly int[] _validationY;
    private readonly T[] _batchX;
    private readonly int[] _batchY;
    private readonly int[] _order;
    private readonly T[] _parameters;
    private readonly T[] _gradient;
    private int _batchRows;
    private int _cursor;

    /// <summary>Creates the problem; <paramref name="batchSize"/> 0 means full batch, <paramref name="init"/> null means PyTorch's nn.Linear default, <paramref name="batchNorm"/> adds BatchNorm1d before each hidden activation.</summary>
    public MlpProblem(
        Dataset train,
        Dataset validation,
        int width,
        int depth,
        Activation activation = Activation.Relu,
        bool residual = false,
        bool layerNorm = false,
        int batchSize = 0,
        WeightInit? init = null,
        bool batchNorm = false
    )
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        var classes = Math.Max(2, Math.Max(train.Classes, validation.Classes));
        BatchSize = batchSize <= 0 || batchSize >= train.Rows ? train.Rows : batchSize;
        _network = new MultilayerPerceptron<T>(
            new MlpArchitecture(train.Columns, width, depth, classes, activation, residual, layerNorm, batchNorm),
            BatchSize
        );
        _init = init ?? (depth == 0 ? new WeightInit(InitScheme.Zeros) : WeightInit.PyTorchDefault);
        _trainX = Convert(train.Features);
        _trainY = train.Labels;
        _validationX = Convert(validation.Features);
        _validationY = validation.Labels;
        _batchX = IsStochastic ? new T[BatchSize * train.Columns] : _trainX;
        _batchY = IsStochastic ? new int[BatchSize] : _trainY;
        _batchRows = BatchSize;
        _order = [.. Enumerable.Range(0, train.Rows)];
        _cursor = train.Rows;
        _parameters = typeof(T) == typeof(double) ? [] : new T[_network.ParameterCount];
        _gradient = new T[_network.ParameterCount];
    }

    /// <summary>The network.</summary>
    public MultilayerPerceptron<T> Network => _network;

    /// <summary>Rows per mini-batch.</summary>
    public int BatchSize { get; }

    /// <inheritdoc />
    public override int Dimension => _network.ParameterCount;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterBlock> Blocks => _network.Blocks;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterBlock> Layers => _network.Layers;

    /// <inheritdoc />
    public override bool IsClassifier => true;

    /// <inheritdoc />
    public override bool IsStochastic => BatchSize < _trainY.Length;

    /// <inheritdoc />
    public override bool HasValidation => _validationY.Length > 0;

    /// <inheritdoc />
    public override void InitialPoint(Span<double> x, Random rng) => _network.Initialize(x, _init, rng);

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        if (typeof(T) == typeof(double))
        {
            return EvaluateBatch(MemoryMarshal.Cast<double, T>(x), MemoryMarshal.Cast<double, T>(gradient));
        }

        TensorPrimitives.ConvertTruncating(x, _parameters.AsSpan());
        var loss = EvaluateBatch(_parameters, _gradient);
        TensorPrimitives.ConvertTruncating<T, double>(_gradient, gradient);
        return loss;
    }

    /// <summary>Mean cross-entropy on the current batch at <paramref name="parameters"/>; writes its gradient.</summary>
    public double EvaluateBatch(ReadOnlySpan<T> parameters, Span<T> gradient) => _network.Evaluate(parameters, _batchX, _batchY, _batchRows, gradient);

    /// <summary>Loss and accuracy over all training rows.</summary>
    public (double Loss, double Accuracy) ScoreTraining(ReadOnlySpan<T> parameters) => _network.Score(parameters, _trainX, _trainY, _trainY.Length);

    /// <summary>Loss and accuracy over the validation rows.</summary>
    public (double Loss, double Accuracy) ScoreValidation(ReadOnlySpan<T> parameters) =>
        _network.Score(parameters, _validationX, _validationY, _validationY.Length);

    /// <inheritdoc />
    public override double Loss(ReadOnlySpan<double> x) => ScoreTraining(Parameters(x)).Loss;

    /// <inheritdoc />
    public override double ValidationLoss(ReadOnlySpan<double> x) => ScoreValidation(Parameters(x)).Loss;

    /// <inheritdoc />
    public override double ValidationAccuracy(ReadOnlySpan<double> x) => ScoreValidation(Parameters(x)).Accuracy;

    /// <inheritdoc />
    public override int TrainingRows => _trainY.Length;

    /// <inheritdoc />
    public override void UseRows(ReadOnlySpan<int> rows)
    {
        if (!IsStochastic || rows.Length > BatchSize)
        {
            if (IsStochastic || rows.Length != _trainY.Length)
            {
                throw new ArgumentException($"At most {BatchSize} rows fit the batch buffer (a full-batch problem takes all {_trainY.Length}).", nameof(rows));
            }

            return;
        }

        var d = _network.Architecture.Inputs;
        _batchRows = rows.Length;
        for (var r = 0; r < rows.Length; r++)
        {
            _trainX.AsSpan(rows[r] * d, d).CopyTo(_batchX.AsSpan(r * d));
            _batchY[r] = _trainY[rows[r]];
        }
    }

    /// <summary>Takes the next batch of a reshuffled-per-epoch order (PyTorch's <c>DataLoader(shuffle=True)</c>).</summary>
    public override void NextBatch(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!IsStochastic)
        {
            return;
        }

        if (_cursor >= _order.Length)
        {
            rng.Shuffle(_order);
            _cursor = 0;
        }

        var d = _network.Architecture.Inputs;
        _batchRows = Math.Min(BatchSize, _order.Length - _cursor);
        for (var r = 0; r < _batchRows; r++)
        {
            var i = _order[_cursor + r];
            _trainX.AsSpan(i * d, d).CopyTo(_batchX.AsSpan(r * d));
            _batchY[r] = _trainY[i];
        }

        _cursor += _batchRows;
    }

    private ReadOnlySpan<T> Parameters(ReadOnlySpan<double> x)
    {
        if (typeof(T) == typeof(double))
        {
            return MemoryMarshal.Cast<double, T>(x);
        }

        TensorPrimitives.ConvertTruncating(x, _parameters.AsSpan());
        return _parameters;
    }

    private static T[] Convert(double[] values)
    {
        var result = new T[values.Length];
        TensorPrimitives.ConvertTruncating<double, T>(values, result);
        return result;
    }
}
