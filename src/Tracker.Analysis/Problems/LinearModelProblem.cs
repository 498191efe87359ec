using Tracker.Analysis.Compute;

namespace Tracker.Analysis.Problems;

/// <summary>Linear (squared loss) or logistic regression with an intercept and optional L2 penalty on a real data set, with mini-batches.</summary>
/// <remarks>Logistic regression predicts label == <c>positiveClass</c>; linear regression fits the label as a number.</remarks>
public sealed class LinearModelProblem : ReferenceProblem
{
    private readonly LinearModelGradient _kernel;
    private readonly (double[] X, double[] Y, int Rows) _train;
    private readonly (double[] X, double[] Y, int Rows) _validation;
    private readonly double[] _batchX;
    private readonly double[] _batchY;
    private readonly int[] _order;
    private readonly double[] _scratch;
    private readonly double _l2;
    private int _batchRows;
    private int _cursor;

    /// <summary>Creates the problem from split data; <paramref name="batchSize"/> 0 means full batch.</summary>
    public LinearModelProblem(Dataset train, Dataset validation, LinearModelLoss loss, int positiveClass = 1, int batchSize = 0, double l2 = 0)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        Columns = train.Columns + 1;
        _kernel = new LinearModelGradient(Columns, loss);
        _train = Augment(train, loss, positiveClass);
        _validation = Augment(validation, loss, positiveClass);
        BatchSize = batchSize <= 0 || batchSize >= train.Rows ? train.Rows : batchSize;
        _batchX = BatchSize == train.Rows ? _train.X : new double[BatchSize * Columns];
        _batchY = BatchSize == train.Rows ? _train.Y : new double[BatchSize];
        _batchRows = BatchSize;
        _order = [.. Enumerable.Range(0, train.Rows)];
        _cursor = train.Rows;
        _scratch = new double[Columns];
        _l2 = l2;
    }

    /// <summary>Features plus the intercept.</summary>
    public int Columns { get; }

    /// <summary>Rows per mini-batch.</summary>
    public int BatchSize { get; }

    /// <inheritdoc />
    public override int Dimension => Columns;

    /// <inheritdoc />
    public override bool IsStochastic => BatchSize < _train.Rows;

    /// <inheritdoc />
    public override bool HasValidation => _validation.Rows > 0;

    /// <inheritdoc />
    public override void InitialPoint(Span<double> x, Random rng) => x.Clear();

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
        => Penalize(_kernel.Evaluate(_batchX, _batchY, _batchRows, x, gradient), x, gradient);

    /// <inheritdoc />
    public override double Loss(ReadOnlySpan<double> x) => Penalize(_kernel.Evaluate(_train.X, _train.Y, _train.Rows, x, _scratch), x, default);

    /// <inheritdoc />
    public override double ValidationLoss(ReadOnlySpan<double> x) => _kernel.Evaluate(_validation.X, _validation.Y, _validation.Rows, x, _scratch);

    /// <inheritdoc />
    public override int TrainingRows => _train.Rows;

    /// <inheritdoc />
    public override void UseRows(ReadOnlySpan<int> rows)
    {
        if (!IsStochastic || rows.Length > BatchSize)
        {
            if (IsStochastic || rows.Length != _train.Rows)
            {
                throw new ArgumentException($"At most {BatchSize} rows fit the batch buffer (a full-batch problem takes all {_train.Rows}).", nameof(rows));
            }

            return;
        }

        _batchRows = rows.Length;
        for (var r = 0; r < rows.Length; r++)
        {
            _train.X.AsSpan(rows[r] * Columns, Columns).CopyTo(_batchX.AsSpan(r * Columns));
            _batchY[r] = _train.Y[rows[r]];
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

        _batchRows = Math.Min(BatchSize, _order.Length - _cursor);
        for (var r = 0; r < _batchRows; r++)
        {
            var i = _order[_cursor + r];
            _train.X.AsSpan(i * Columns, Columns).CopyTo(_batchX.AsSpan(r * Columns));
            _batchY[r] = _train.Y[i];
        }

        _cursor += _batchRows;
    }

    private double Penalize(double loss, ReadOnlySpan<double> x, Span<double> gradient)
    {
        if (_l2 == 0)
        {
            return loss;
        }

        var sq = 0.0;
        for (var j = 0; j < Columns - 1; j++)
        {
            sq += x[j] * x[j];
            if (!gradient.IsEmpty)
            {
                gradient[j] += _l2 * x[j];
            }
        }

        return loss + (0.5 * _l2 * sq);
    }

    private static (double[] X, double[] Y, int Rows) Augment(Dataset data, LinearModelLoss loss, int positiveClass)
    {
        var cols = data.Columns + 1;
        var x = new double[data.Rows * cols];
        var y = new double[data.Rows];
        for (var i = 0; i < data.Rows; i++)
        {
            data.Row(i).CopyTo(x.AsSpan(i * cols));
            x[(i * cols) + data.Columns] = 1;
            y[i] = loss == LinearModelLoss.Logistic ? (data.Labels[i] == positiveClass ? 1 : 0) : data.Labels[i];
        }

        return (x, y, data.Rows);
    }
}
