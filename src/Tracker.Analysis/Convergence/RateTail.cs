namespace Tracker.Analysis.Convergence;

/// <summary>The seed's ratio tests on the tail of an error sequence (used by <see cref="RateFit"/>).</summary>
internal static class RateTail
{
    /// <summary>The seed's ratio tests on the last consecutive errors (at most 8 ratios): <b>linear</b> when the ratios are
    /// steady (their mean logs over the tail's halves within 0.25) below 0.9 and the tail fell two decades; <b>superlinear</b> when the
    /// successive error ratios e_{k+1}/e_k go to zero (their geometric mean over the tail's second half is at most half that
    /// over its first half, and below 0.2); <b>quadratic</b> when besides the order estimates
    /// log(e_{k+2}/e_{k+1}) / log(e_{k+1}/e_k) have a median in [1.6, 2.6].</summary>
    public static bool Order(
        ReadOnlySpan<double> y,
        ReadOnlySpan<int> index,
        bool allowFaster,
        out ConvergenceRateClass rateClass,
        out double order,
        out double ratio
    )
    {
        rateClass = ConvergenceRateClass.Unknown;
        order = double.NaN;
        ratio = double.NaN;
        var end = y.Length - 1;
        var begin = end;
        while (begin > 0 && index[begin - 1] == index[begin] - 1 && end - begin < 8)
        {
            begin--;
        }

        var count = end - begin;
        if (count < 4)
        {
            return false;
        }

        Span<double> l = stackalloc double[count];
        for (var j = 0; j < count; j++)
        {
            l[j] = y[begin + j + 1] - y[begin + j];
        }

        var half = count / 2;
        double early = 0,
            late = 0;
        for (var j = 0; j < half; j++)
        {
            early += l[j];
        }

        for (var j = count - half; j < count; j++)
        {
            late += l[j];
        }

        early /= half;
        late /= half;
        // ln 2 and ln 0.2: the ratios at least halved across the tail and ended below 0.2.
        if (!allowFaster || !(late - early <= -0.6931471805599453 && late <= -1.6094379124341003))
        {
            // Steady ratios below 0.9 over a tail that fell two decades: linear convergence, c = the geometric mean ratio (the
            // asymptotic rate, whatever the early iterations did — EM's first steps, a line search's warm-up).
            double mean = 0;
            for (var j = 0; j < count; j++)
            {
                mean += l[j];
            }

            mean /= count;
            if (Math.Abs(late - early) <= 0.25 && mean <= -0.10536051565782628 && y[begin] - y[end] >= 2 * 2.302585092994046)
            {
                rateClass = ConvergenceRateClass.Linear;
                order = Math.Exp(mean);
                ratio = Math.Exp(y[begin]);
                return true;
            }

            return false;
        }

        Span<double> q = stackalloc double[count - 1];
        var estimates = 0;
        for (var j = 0; j + 1 < count; j++)
        {
            if (l[j] < 0 && l[j + 1] < 0)
            {
                q[estimates++] = l[j + 1] / l[j];
            }
        }

        q = q[..estimates];
        var near = 0;
        foreach (var estimate in q)
        {
            near += estimate is >= 1.5 and <= 2.7 ? 1 : 0;
        }

        q.Sort();
        order = estimates > 0 ? q[estimates / 2] : double.NaN;
        ratio = Math.Exp(l[count - 1]);
        // The order is also the slope of log e_{k+1} against log e_k over the tail's last pairs (e_{k+1} ≈ M·e_k^q): a
        // regression steadier than the ratio of two log ratios when the last steps differ a lot in size (Newton's finish).
        var take = Math.Min(count, 4);
        var pairs = LineFit.Of(y.Slice(begin + count - take, take), y.Slice(begin + count - take + 1, take));
        var regressionQuadratic = take >= 3 && pairs.RSquared >= 0.95 && pairs.Slope is >= 1.8 and < 2.6;
        if (regressionQuadratic)
        {
            order = pairs.Slope;
        }

        if ((estimates >= 2 && order is >= 1.8 and < 2.6 && 3 * near >= 2 * estimates) || regressionQuadratic)
        {
            // M in e_{k+1} ≈ M·e_k²: the median over the tail's pairs of log e_{k+1} − 2·log e_k.
            Span<double> m = stackalloc double[count];
            for (var j = 0; j < count; j++)
            {
                m[j] = y[begin + j + 1] - (2 * y[begin + j]);
            }

            m.Sort();
            ratio = Math.Exp(m[count / 2]);
            rateClass = ConvergenceRateClass.Quadratic;
        }
        else
        {
            rateClass = ConvergenceRateClass.Superlinear;
        }

        return true;
    }

    /// <summary>The largest value.</summary>
    public static double Max(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    /// <summary>The smallest value.</summary>
    public static double Min(ReadOnlySpan<double> values)
    {
        var min = double.PositiveInfinity;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
        }

        return min;
    }
}
