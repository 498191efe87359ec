namespace Tracker.Bench.Curves;

/// <summary>
/// The human-readable rules that confirm a recipe's label on the full (undecimated) series.
/// A recipe whose curve does not satisfy the rule of its label is left out of the corpus (and reported).
/// See data/curves/README.md for the rules in words.
/// </summary>
internal static class LabelRules
{
    /// <summary>Fewer training-loss points than this: insufficient data.</summary>
    public const int MinPoints = 20;

    /// <summary>Computes the rule's numbers for a curve.</summary>
    public static Dictionary<string, double> Measure(Series loss, Series val)
    {
        var s = new Dictionary<string, double>();
        var bad = loss.FirstNonFinite();
        s["points"] = loss.Count;
        s["non_finite_step"] = bad < 0 ? -1 : loss.Steps[bad];
        var l0 = loss.Values[0];
        s["l0"] = l0;
        s["blowup_step"] = BlowUp(loss, 10 * Math.Abs(l0));
        if (bad >= 0 || loss.Count < 2)
        {
            return s;
        }

        var lEnd = loss.MeanBetween(0.9, 1.0);
        var l75 = loss.MeanBetween(0.7, 0.8);
        var lHalf = loss.MeanBetween(0.45, 0.55);
        var fell = l0 - lEnd;
        s["l_end"] = lEnd;
        s["drop"] = fell / Math.Abs(l0);
        s["late_share"] = fell > 0 ? (l75 - lEnd) / fell : double.NaN;
        s["late_relative"] = (l75 - lEnd) / Math.Abs(lEnd);
        s["second_half_share"] = fell > 0 ? (lHalf - lEnd) / fell : double.NaN;

        // Swings: mean absolute step-to-step change over the second half of the run.
        double swing = 0;
        var n = 0;
        var half = loss.Steps[0] + ((loss.Steps[^1] - loss.Steps[0]) / 2);
        for (var i = 1; i < loss.Count; i++)
        {
            if (loss.Steps[i] >= half)
            {
                swing += Math.Abs(loss.Values[i] - loss.Values[i - 1]);
                n++;
            }
        }

        swing /= Math.Max(1, n);
        s["swing"] = swing;
        s["swing_ratio"] = swing / Math.Max(fell, 0.1 * Math.Abs(lEnd));
        s["second_half_trend"] = loss.MeanBetween(0.5, 0.6) - lEnd;

        // Band: the spread (10th to 90th percentile) of the second half around its least-squares line, so a
        // steady descent is not mistaken for a wide band; band_relative compares it with the median level.
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i < loss.Count; i++)
        {
            if (loss.Steps[i] >= half)
            {
                xs.Add(loss.Steps[i]);
                ys.Add(loss.Values[i]);
            }
        }

        double mx = xs.Average(),
            my = ys.Average(),
            sxy = 0,
            sxx = 0;
        for (var i = 0; i < xs.Count; i++)
        {
            sxy += (xs[i] - mx) * (ys[i] - my);
            sxx += (xs[i] - mx) * (xs[i] - mx);
        }

        var slope = sxx > 0 ? sxy / sxx : 0;
        var residuals = xs.Select((x, i) => ys[i] - (my + (slope * (x - mx)))).Order().ToArray();
        var sorted = ys.Order().ToArray();
        var band = Quantile(residuals, 0.9) - Quantile(residuals, 0.1);
        s["band"] = band;
        s["band_relative"] = band / Math.Max(Math.Abs(Quantile(sorted, 0.5)), 1e-300);
        s["band_ratio"] = band / Math.Max(fell, 0.1 * Math.Abs(lEnd));

        if (val.Count >= 2 && val.FirstNonFinite() < 0)
        {
            var argMin = 0;
            for (var i = 1; i < val.Count; i++)
            {
                if (val.Values[i] < val.Values[argMin])
                {
                    argMin = i;
                }
            }

            double v0 = val.Values[0],
                vMin = val.Values[argMin];
            var vEnd = val.MeanBetween(0.9, 1.0);
            var v75 = val.MeanBetween(0.7, 0.8);
            double span = Math.Max(1, val.Steps[^1] - val.Steps[0]);
            var trainAtMin = loss.ValueAt(val.Steps[argMin]);
            s["val_points"] = val.Count;
            s["v0"] = v0;
            s["v_min"] = vMin;
            s["v_min_at"] = (val.Steps[argMin] - val.Steps[0]) / span;
            s["v_end"] = vEnd;
            s["v_rise"] = (vEnd - vMin) / Math.Abs(vMin);
            s["v_late_share"] = v0 > vEnd ? (v75 - vEnd) / (v0 - vEnd) : double.NaN;
            s["v_late_relative"] = (v75 - vEnd) / Math.Abs(vEnd);
            s["train_fall_after_v_min"] = (trainAtMin - lEnd) / Math.Abs(trainAtMin);
        }

        return s;
    }

    /// <summary>Whether the curve satisfies the rule of <paramref name="label"/>; <paramref name="why"/> names the failed condition.</summary>
    public static bool Confirm(string label, Dictionary<string, double> s, out string why)
    {
        var failed = "";
        double V(string k) => s.TryGetValue(k, out var v) ? v : double.NaN;
        var finite = V("non_finite_step") < 0 && V("blowup_step") < 0;
        var hasVal = V("val_points") >= 5;
        bool Need(bool ok, string condition)
        {
            if (!ok && failed.Length == 0)
            {
                failed = condition;
            }

            return ok;
        }

        if (label != "insufficient_data" && V("points") < MinPoints)
        {
            why = $"points >= {MinPoints}";
            return false;
        }

        var confirmed = label switch
        {
            "insufficient_data" => Need(V("points") < MinPoints, $"points < {MinPoints}") & Need(finite, "finite"),
            "diverging" => Need(!finite, "NaN/Inf, or 3 consecutive points above 10·|loss₀|"),
            "overfitting" => Need(finite, "finite") & Need(hasVal, "val_points >= 5")
                && Need(V("v_min_at") <= 0.6, "v_min_at <= 0.6")
                    & Need(V("v_rise") >= 0.10, "v_rise >= 0.10")
                    & Need(V("train_fall_after_v_min") > 0.05, "train_fall_after_v_min > 0.05"),
            "healthy_convergence" => Need(finite, "finite") & Need(hasVal, "val_points >= 5")
                && Need(V("drop") >= 0.5, "drop >= 0.5")
                    & Need(V("late_share") <= 0.03, "late_share <= 0.03")
                    & Need(V("v_rise") <= 0.03, "v_rise <= 0.03")
                    & Need(V("v_late_share") <= 0.05, "v_late_share <= 0.05")
                    & Need(V("v_late_relative") <= 0.01, "v_late_relative <= 0.01"),
            "still_improving" => Need(finite, "finite")
                && Need(V("drop") >= 0.2, "drop >= 0.2")
                    & Need(V("late_share") >= 0.04, "late_share >= 0.04")
                    & Need(V("late_relative") >= 0.05, "late_relative >= 0.05")
                    & Need(!hasVal || (V("v_rise") <= 0.03 && V("v_late_relative") >= 0.01), "val still falling: v_rise <= 0.03, v_late_relative >= 0.01"),
            "slow_progress" => Need(finite, "finite")
                && Need(V("drop") is > 0.001 and < 0.1, "0.001 < drop < 0.1")
                    & Need(V("second_half_share") >= 0.3, "second_half_share >= 0.3")
                    & Need(V("late_share") >= 0.1, "late_share >= 0.1"),
            "underfitting" => Need(finite, "finite")
                && Need(V("drop") < 0.5, "drop < 0.5")
                    & Need(V("late_relative") <= 0.005, "late_relative <= 0.005")
                    & Need(!(V("late_share") > 0.05), "late_share <= 0.05")
                    & Need(!hasVal || (V("v_late_relative") <= 0.005 && V("v_rise") < 0.10), "val flat: v_late_relative <= 0.005, v_rise < 0.10"),
            "oscillating" => Need(finite, "finite")
                && Need(V("swing_ratio") >= 0.5 || V("band_ratio") >= 0.5, "swing_ratio >= 0.5 or band_ratio >= 0.5")
                    & Need(V("second_half_trend") < Math.Max(V("swing"), 0.5 * V("band")), "second_half_trend < max(swing, band/2)"),
            _ => Need(false, "unknown label"),
        };
        why = failed;
        return confirmed;
    }

    private static double Quantile(double[] sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((pos - lo) * (sorted[hi] - sorted[lo]));
    }

    private static double BlowUp(Series loss, double limit)
    {
        var run = 0;
        for (var i = 0; i < loss.Count; i++)
        {
            run = double.IsFinite(loss.Values[i]) && loss.Values[i] > limit ? run + 1 : 0;
            if (run >= 3)
            {
                return loss.Steps[i];
            }
        }

        return -1;
    }
}
