namespace Tracker.Compute.Schedules;

/// <summary><c>CosineAnnealingWarmRestarts</c>: cosine annealing restarted after T_0, T_0·T_mult, T_0·T_mult², … steps.</summary>
internal sealed class CosineAnnealingWarmRestarts : LearningRateSchedule
{
    private readonly int _t0;
    private readonly int _tMult;
    private readonly double _etaMin;

    /// <summary>Creates the schedule (T_0 ≥ 1, integer T_mult ≥ 1).</summary>
    public CosineAnnealingWarmRestarts(int t0, int tMult = 1, double etaMin = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(t0, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tMult, 1);
        (_t0, _tMult, _etaMin) = (t0, tMult, etaMin);
    }

    /// <inheritdoc />
    public override double At(long epoch, double baseLr)
    {
        long tCur,
            tI;
        if (epoch < _t0)
        {
            (tCur, tI) = (epoch, _t0);
        }
        else if (_tMult == 1)
        {
            (tCur, tI) = (epoch % _t0, _t0);
        }
        else
        {
            // Restart n begins at T_0 (T_mult^n − 1) / (T_mult − 1); find n with integer arithmetic.
            long start = 0,
                length = _t0;
            while (start + length <= epoch)
            {
                start += length;
                length *= _tMult;
            }

            (tCur, tI) = (epoch - start, length);
        }

        return _etaMin + ((baseLr - _etaMin) * (1 + Math.Cos(Math.PI * tCur / tI)) / 2);
    }
}
