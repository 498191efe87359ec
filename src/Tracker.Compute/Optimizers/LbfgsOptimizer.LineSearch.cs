using System.Numerics.Tensors;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Optimizers;

/// <summary>The strong-Wolfe line search of <c>torch.optim.lbfgs._strong_wolfe</c>, with its cubic interpolation.</summary>
public sealed partial class LbfgsOptimizer
{
    private const double C1 = 1e-4;
    private const double C2 = 0.9;
    private const int MaxLineSearch = 25;

    private readonly double[] _x0;
    private readonly double[] _trial;
    private readonly double[] _gNew;
    private readonly double[] _gPrev;
    private double[] _bracketG0;
    private double[] _bracketG1;

    /// <summary>PyTorch's <c>_cubic_interpolate</c> between (x1, f1, g1) and (x2, f2, g2), clamped to the bounds.</summary>
    internal static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double? lower = null, double? upper = null)
    {
        double xmin,
            xmax;
        if (lower is { } lo && upper is { } hi)
        {
            (xmin, xmax) = (lo, hi);
        }
        else
        {
            (xmin, xmax) = x1 <= x2 ? (x1, x2) : (x2, x1);
        }

        var d1 = g1 + g2 - (3 * (f1 - f2) / (x1 - x2));
        var d2Square = (d1 * d1) - (g1 * g2);
        if (d2Square >= 0)
        {
            var d2 = Math.Sqrt(d2Square);
            var minPos = x1 <= x2 ? x2 - ((x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + (2 * d2)))) : x1 - ((x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + (2 * d2))));
            return Math.Min(Math.Max(minPos, xmin), xmax);
        }

        return (xmin + xmax) / 2;
    }

    private double Directional(IObjective objective, double t, double[] gradient)
    {
        TensorPrimitives.MultiplyAdd(_d, t, _x0, _trial);
        return objective.Evaluate(_trial, gradient);
    }

    private (double Loss, double Step, int Evaluations) StrongWolfeSearch(IObjective objective, double t, double f, double gtd)
    {
        var dNorm = Math.Abs(TensorPrimitives.MaxMagnitude(_d));
        var fNew = Directional(objective, t, _gNew);
        var evals = 1;
        var gtdNew = TensorPrimitives.Dot(_gNew, _d);
        double tPrev = 0,
            fPrev = f,
            gtdPrev = gtd;
        _flatGrad.CopyTo(_gPrev, 0);
        var done = false;
        var lsIter = 0;

        Span<double> bracket = stackalloc double[2];
        Span<double> bracketF = stackalloc double[2];
        Span<double> bracketGtd = stackalloc double[2];
        var width = 0;
        while (lsIter < MaxLineSearch)
        {
            if (fNew > f + (C1 * t * gtd) || (lsIter > 1 && fNew >= fPrev) || (Math.Abs(gtdNew) > -C2 * gtd && gtdNew >= 0))
            {
                bracket[0] = tPrev;
                bracket[1] = t;
                bracketF[0] = fPrev;
                bracketF[1] = fNew;
                bracketGtd[0] = gtdPrev;
                bracketGtd[1] = gtdNew;
                _gPrev.CopyTo(_bracketG0, 0);
                _gNew.CopyTo(_bracketG1, 0);
                width = 2;
                break;
            }

            if (Math.Abs(gtdNew) <= -C2 * gtd)
            {
                bracket[0] = t;
                bracketF[0] = fNew;
                _gNew.CopyTo(_bracketG0, 0);
                width = 1;
                done = true;
                break;
            }

            var minStep = t + (0.01 * (t - tPrev));
            var maxStep = t * 10;
            var tmp = t;
            t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp;
            fPrev = fNew;
            _gNew.CopyTo(_gPrev, 0);
            gtdPrev = gtdNew;
            fNew = Directional(objective, t, _gNew);
            evals++;
            gtdNew = TensorPrimitives.Dot(_gNew, _d);
            lsIter++;
        }

        if (lsIter == MaxLineSearch)
        {
            bracket[0] = 0;
            bracket[1] = t;
            bracketF[0] = f;
            bracketF[1] = fNew;
            _flatGrad.CopyTo(_bracketG0, 0);
            _gNew.CopyTo(_bracketG1, 0);
            width = 2;
        }

        // Zoom phase.
        var insufficientProgress = false;
        var last = width - 1;
        var (low, high) = bracketF[0] <= bracketF[last] ? (0, 1) : (1, 0);
        while (!done && lsIter < MaxLineSearch)
        {
            if (Math.Abs(bracket[1] - bracket[0]) * dNorm < ToleranceChange)
            {
                break;
            }

            t = CubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
            var bmax = Math.Max(bracket[0], bracket[1]);
            var bmin = Math.Min(bracket[0], bracket[1]);
            var eps = 0.1 * (bmax - bmin);
            if (Math.Min(bmax - t, t - bmin) < eps)
            {
                if (insufficientProgress || t >= bmax || t <= bmin)
                {
                    t = Math.Abs(t - bmax) < Math.Abs(t - bmin) ? bmax - eps : bmin + eps;
                    insufficientProgress = false;
                }
                else
                {
                    insufficientProgress = true;
                }
            }
            else
            {
                insufficientProgress = false;
            }

            fNew = Directional(objective, t, _gNew);
            evals++;
            gtdNew = TensorPrimitives.Dot(_gNew, _d);
            lsIter++;

            if (fNew > f + (C1 * t * gtd) || fNew >= bracketF[low])
            {
                bracket[high] = t;
                bracketF[high] = fNew;
                _gNew.CopyTo(BracketGradient(high), 0);
                bracketGtd[high] = gtdNew;
                (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0);
            }
            else
            {
                if (Math.Abs(gtdNew) <= -C2 * gtd)
                {
                    done = true;
                }
                else if (gtdNew * (bracket[high] - bracket[low]) >= 0)
                {
                    bracket[high] = bracket[low];
                    bracketF[high] = bracketF[low];
                    BracketGradient(low).CopyTo(BracketGradient(high), 0);
                    bracketGtd[high] = bracketGtd[low];
                }

                bracket[low] = t;
                bracketF[low] = fNew;
                _gNew.CopyTo(BracketGradient(low), 0);
                bracketGtd[low] = gtdNew;
            }
        }

        BracketGradient(low).CopyTo(_flatGrad, 0);
        return (bracketF[low], bracket[low], evals);
    }

    private double[] BracketGradient(int index) => index == 0 ? _bracketG0 : _bracketG1;
}
