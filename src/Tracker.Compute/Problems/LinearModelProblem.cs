using Tracker.Compute.Compute;

namespace Tracker.Compute.Problems;

/// <summary>Linear (squared loss) or logistic regression with an intercept and optional L2 penalty on a real data set, with mini-batches.</summary>
/// <remarks>Logistic regression predicts label == <c>positiveClass</c>; linear regression fits the label as a number.</remarks>
internal sealed class LinearModelProblem : ReferenceProblem
{
    private readonly LinearModelGradient _kernel;
    private readonly (double[] X, double[] Y, int Rows) _train;
    private readonly (double[] X, double[] Y, int Rows) _validation;
    private readonly double[] _batchX;
    private readonly double[] _batchY;
    private readonly int[] _order;
    private readonly double[] _scratch;
    private readonly double _l2;
    private readonly LinearModelLoss _loss;
    private double[]? _minimizer;
    private double _minimum = double.NaN;
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
        _loss = loss;
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
    public override double Evaluate(ReadOnlySpan<double> x, Span<double> gradient) =>
        Penalize(_kernel.Evaluate(_batchX, _batchY, _batchRows, x, gradient), x, gradient);

    /// <inheritdoc />
    public override double Loss(ReadOnlySpan<double> x) => Penalize(_kernel.Evaluate(_train.X, _train.Y, _train.Rows, x, _scratch), x, default);

    /// <inheritdoc />
    public override double ValidationLoss(ReadOnlySpan<double> x) => _kernel.Evaluate(_validation.X, _validation.Y, _validation.Rows, x, _scratch);

    /// <summary>For least squares, f(θ*) with θ* from the normal equations; null for logistic regression (no closed form, and no finite minimizer on separable data).</summary>
    public override double? OptimalLoss => Minimizer() is null ? null : _minimum;

    /// <summary>For least squares, ‖θ − θ*‖; NaN for logistic regression.</summary>
    public override double DistanceToOptimum(ReadOnlySpan<double> x) =>
        Minimizer() is { } minimizer ? System.Numerics.Tensors.TensorPrimitives.Distance(x, minimizer) : double.NaN;

    /// <summary>The least-squares minimizer θ* = H⁻¹b solving the normal equations (null for logistic regression or a singular H).</summary>
    /// <remarks>
    /// The objective is the quadratic ½θᵀHθ − bᵀθ + c whatever the loss's scaling, so its gradient is Hθ − b: column j of H is
    /// ∇f(eⱼ) − ∇f(0), and b = −∇f(0). H is solved by Cholesky, then refined twice with the residual gradient ∇f(θ).
    /// </remarks>
    public double[]? Minimizer()
    {
        if (_loss != LinearModelLoss.Squared)
        {
            return null;
        }

        if (_minimizer is not null || !double.IsNaN(_minimum))
        {
            return _minimizer;
        }

        var n = Columns;
        var h = new double[n * n];
        var g0 = new double[n];
        var g = new double[n];
        var e = new double[n];
        FullGradient(e, g0);
        for (var j = 0; j < n; j++)
        {
            e[j] = 1;
            FullGradient(e, g);
            e[j] = 0;
            for (var i = 0; i < n; i++)
            {
                h[(i * n) + j] = g[i] - g0[i];
            }
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                h[(i * n) + j] = h[(j * n) + i] = 0.5 * (h[(i * n) + j] + h[(j * n) + i]);
            }
        }

        if (!Cholesky.TryFactor(h, n))
        {
            _minimum = double.PositiveInfinity;
            return null;
        }

        var theta = new double[n];
        for (var refinement = 0; refinement < 3; refinement++)
        {
            FullGradient(theta, g);
            Cholesky.Solve(h, n, g);
            System.Numerics.Tensors.TensorPrimitives.Subtract(theta, g, theta);
        }

        _minimum = Loss(theta);
        _minimizer = theta;
        return theta;
    }

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

    private double FullGradient(ReadOnlySpan<double> x, Span<double> gradient) =>
        Penalize(_kernel.Evaluate(_train.X, _train.Y, _train.Rows, x, gradient), x, gradient);

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
