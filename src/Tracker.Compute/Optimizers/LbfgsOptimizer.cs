using System.Numerics.Tensors;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Optimizers;

/// <summary><c>torch.optim.LBFGS</c>: two-loop recursion over a bounded history, optional strong-Wolfe line search, state kept across steps.</summary>
public sealed partial class LbfgsOptimizer
{
    private readonly double[][] _oldDirs;
    private readonly double[][] _oldSteps;
    private readonly double[] _ro;
    private readonly double[] _al;
    private readonly double[] _d;
    private readonly double[] _flatGrad;
    private readonly double[] _prevFlatGrad;
    private readonly double[] _q;
    private int _historyStart;
    private int _historyCount;
    private double _t;
    private double _hDiag = 1;
    private double _prevLoss;
    private bool _hasPrevGrad;

    /// <summary>Creates the optimizer with PyTorch's defaults (lr 1, max_iter 20, history_size 100, no line search).</summary>
    public LbfgsOptimizer(
        int dimension,
        double lr = 1,
        int maxIter = 20,
        int? maxEval = null,
        double toleranceGrad = 1e-7,
        double toleranceChange = 1e-9,
        int historySize = 100,
        bool strongWolfe = false
    )
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lr);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxIter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(historySize);
        Dimension = dimension;
        LearningRate = lr;
        MaxIter = maxIter;
        MaxEval = maxEval ?? (maxIter * 5 / 4);
        ToleranceGrad = toleranceGrad;
        ToleranceChange = toleranceChange;
        HistorySize = historySize;
        StrongWolfe = strongWolfe;
        _oldDirs = new double[historySize][];
        _oldSteps = new double[historySize][];
        for (var i = 0; i < historySize; i++)
        {
            _oldDirs[i] = new double[dimension];
            _oldSteps[i] = new double[dimension];
        }

        _ro = new double[historySize];
        _al = new double[historySize];
        _d = new double[dimension];
        _flatGrad = new double[dimension];
        _prevFlatGrad = new double[dimension];
        _q = new double[dimension];
        _x0 = new double[dimension];
        _trial = new double[dimension];
        _gNew = new double[dimension];
        _gPrev = new double[dimension];
        _bracketG0 = new double[dimension];
        _bracketG1 = new double[dimension];
    }

    /// <summary>Number of parameters.</summary>
    public int Dimension { get; }

    /// <summary>Learning rate (initial step length of each iteration after the first).</summary>
    public double LearningRate { get; set; }

    /// <summary>The step length t of the last iteration (what the line search accepted, or lr).</summary>
    public double LastStepLength => _t;

    /// <summary>Maximum iterations per <see cref="Step"/>.</summary>
    public int MaxIter { get; }

    /// <summary>Maximum function evaluations per <see cref="Step"/>.</summary>
    public int MaxEval { get; }

    /// <summary>Stop when max |g| is at most this.</summary>
    public double ToleranceGrad { get; }

    /// <summary>Stop when the step or the change in f is below this.</summary>
    public double ToleranceChange { get; }

    /// <summary>Number of (s, y) pairs kept.</summary>
    public int HistorySize { get; }

    /// <summary>Whether the strong-Wolfe line search is used (<c>line_search_fn='strong_wolfe'</c>).</summary>
    public bool StrongWolfe { get; }

    /// <summary>Total iterations over all steps (<c>state['n_iter']</c>).</summary>
    public int Iterations { get; private set; }

    /// <summary>Total function evaluations over all steps (<c>state['func_evals']</c>).</summary>
    public int FunctionEvaluations { get; private set; }

    /// <summary>One call of <c>optimizer.step(closure)</c>: up to <see cref="MaxIter"/> iterations; returns f at entry.
    /// <paramref name="cancellationToken"/> is checked before each iteration.</summary>
    public double Step(Span<double> x, IObjective objective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var origLoss = objective.Evaluate(x, _flatGrad);
        var loss = origLoss;
        var currentEvals = 1;
        FunctionEvaluations++;
        if (TensorPrimitives.MaxMagnitude(_flatGrad) is var gmax && Math.Abs(gmax) <= ToleranceGrad)
        {
            return origLoss;
        }

        var nIter = 0;
        while (nIter < MaxIter)
        {
            cancellationToken.ThrowIfCancellationRequested();
            nIter++;
            Iterations++;
            if (Iterations == 1)
            {
                TensorPrimitives.Negate(_flatGrad, _d);
                _historyStart = 0;
                _historyCount = 0;
                _hDiag = 1;
            }
            else
            {
                UpdateDirection();
            }

            _flatGrad.CopyTo(_prevFlatGrad, 0);
            _hasPrevGrad = true;
            _prevLoss = loss;

            _t = Iterations == 1 ? Math.Min(1.0, 1.0 / TensorPrimitives.SumOfMagnitudes(_flatGrad)) * LearningRate : LearningRate;
            var gtd = TensorPrimitives.Dot(_flatGrad, _d);
            if (gtd > -ToleranceChange)
            {
                break;
            }

            int lsEvals;
            bool optCond;
            if (StrongWolfe)
            {
                x.CopyTo(_x0);
                (loss, _t, lsEvals) = StrongWolfeSearch(objective, _t, loss, gtd);
                TensorPrimitives.MultiplyAdd(_d, _t, x, x);
                optCond = Math.Abs(TensorPrimitives.MaxMagnitude(_flatGrad)) <= ToleranceGrad;
            }
            else
            {
                TensorPrimitives.MultiplyAdd(_d, _t, x, x);
                lsEvals = 0;
                optCond = false;
                if (nIter != MaxIter)
                {
                    loss = objective.Evaluate(x, _flatGrad);
                    optCond = Math.Abs(TensorPrimitives.MaxMagnitude(_flatGrad)) <= ToleranceGrad;
                    lsEvals = 1;
                }
            }

            currentEvals += lsEvals;
            FunctionEvaluations += lsEvals;
            if (nIter == MaxIter || currentEvals >= MaxEval || optCond)
            {
                break;
            }

            if (Math.Abs(TensorPrimitives.MaxMagnitude(_d)) * Math.Abs(_t) <= ToleranceChange)
            {
                break;
            }

            if (Math.Abs(loss - _prevLoss) < ToleranceChange)
            {
                break;
            }
        }

        return origLoss;
    }

    private void UpdateDirection()
    {
        // y = g - g_prev; s = d * t; store the pair when the curvature condition ys > 1e-10 holds.
        var slot = _historyCount == HistorySize ? _historyStart : (_historyStart + _historyCount) % HistorySize;
        var y = _oldDirs[slot];
        var s = _oldSteps[slot];
        if (_hasPrevGrad)
        {
            TensorPrimitives.Subtract(_flatGrad, _prevFlatGrad, _q);
            TensorPrimitives.Multiply(_d, _t, _trial);
            var ys = TensorPrimitives.Dot(_q, _trial);
            if (ys > 1e-10)
            {
                _q.CopyTo(y, 0);
                _trial.CopyTo(s, 0);
                if (_historyCount == HistorySize)
                {
                    _historyStart = (_historyStart + 1) % HistorySize;
                }
                else
                {
                    _historyCount++;
                }

                _ro[slot] = 1.0 / ys;
                _hDiag = ys / TensorPrimitives.Dot(y, y);
            }
        }

        // Two-loop recursion: q = -g; newest to oldest, then r = H_diag q; oldest to newest.
        TensorPrimitives.Negate(_flatGrad, _q);
        for (var i = _historyCount - 1; i >= 0; i--)
        {
            var k = (_historyStart + i) % HistorySize;
            _al[i] = TensorPrimitives.Dot(_oldSteps[k], _q) * _ro[k];
            TensorPrimitives.MultiplyAdd(_oldDirs[k], -_al[i], _q, _q);
        }

        TensorPrimitives.Multiply(_q, _hDiag, _d);
        for (var i = 0; i < _historyCount; i++)
        {
            var k = (_historyStart + i) % HistorySize;
            var be = TensorPrimitives.Dot(_oldDirs[k], _d) * _ro[k];
            TensorPrimitives.MultiplyAdd(_oldSteps[k], _al[i] - be, _d, _d);
        }
    }
}
