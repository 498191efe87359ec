namespace Tracker.Analysis.Convergence;

/// <summary>Hysteresis for the learning-curve label: a new raw label becomes the held label only once it has held.</summary>
/// <remarks>
/// <para>A new label replaces the held one when it was the raw verdict at <see cref="HoldEvaluations"/> consecutive
/// evaluations that saw new points <em>and</em> the run advanced by at least <see cref="HoldStepFraction"/> of the step
/// at which that label first appeared (at least one step). An evaluation without new points is the same evidence
/// again and neither counts nor breaks the streak; any other raw label restarts it. <c>diverging</c> (which includes
/// NaN/Inf) takes effect at once. The first update of a debouncer that was never seeded adopts the raw label: there is
/// nothing to flap from. A run that goes quiet is settled (<see cref="Settle"/>): the raw label of its final points
/// takes effect, since no further evidence can arrive.</para>
/// <para>Why 3 evaluations and 5 %: on a noisy minibatch loss the classifier's borderline verdicts (healthy ⇄
/// still_improving) swap from one evaluation to the next; a real change persists while the run grows. Three
/// evaluations is the smallest streak that a two-evaluation swap cannot fake, and 5 % of the run is half of the
/// classifier's 10 % evidence windows, so the windows have moved onto new data before a label is trusted. At the
/// server's 200 ms evaluation interval a genuine change is reported within about a second.</para>
/// </remarks>
public sealed class VerdictDebouncer
{
    /// <summary>The label that takes effect at once (NaN/Inf or unbounded growth).</summary>
    public static readonly string Immediate = PatternVerdict.LabelOf(CurvePattern.Diverging);

    /// <summary>Creates a debouncer; throws when <paramref name="holdEvaluations"/> is below 1 or the fraction is negative.</summary>
    public VerdictDebouncer(int holdEvaluations = 3, double holdStepFraction = 0.05)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(holdEvaluations, 1);
        if (!(holdStepFraction >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(holdStepFraction), "must be ≥ 0.");
        }

        HoldEvaluations = holdEvaluations;
        HoldStepFraction = holdStepFraction;
    }

    /// <summary>Consecutive evaluations (with new points) a new label must hold.</summary>
    public int HoldEvaluations { get; }

    /// <summary>Minimum advance of the run, as a fraction of the step where the new label first appeared.</summary>
    public double HoldStepFraction { get; }

    /// <summary>The label in effect, or null before the first update.</summary>
    public string? Held { get; private set; }

    /// <summary>The raw label waiting to take effect, or null when the raw verdict is the held one.</summary>
    public string? Pending { get; private set; }

    /// <summary>Consecutive evaluations with new points at which <see cref="Pending"/> was the raw verdict.</summary>
    public int PendingEvaluations { get; private set; }

    /// <summary>The step at which <see cref="Pending"/> first appeared.</summary>
    public long? PendingSince { get; private set; }

    /// <summary>Starts from a label held before (e.g. the stored verdict after a restart); the pending streak starts over.</summary>
    public void Seed(string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        Held = label;
        ClearPending();
    }

    /// <summary>Feeds the raw label of one evaluation at the run's last step (<paramref name="newPoints"/>: points arrived
    /// since the previous update); returns true when the held label changed.</summary>
    public bool Update(string raw, long? step, bool newPoints = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(raw);
        if (Held is null || string.Equals(raw, Immediate, StringComparison.Ordinal))
        {
            return Adopt(raw);
        }

        if (string.Equals(raw, Held, StringComparison.Ordinal))
        {
            ClearPending();
            return false;
        }

        if (!string.Equals(raw, Pending, StringComparison.Ordinal))
        {
            Pending = raw;
            PendingEvaluations = 1;
            PendingSince = step;
        }
        else if (newPoints)
        {
            PendingEvaluations++;
        }

        var since = PendingSince ?? 0;
        var span = (step ?? 0) - since;
        var needed = Math.Max(1, (long)Math.Ceiling(HoldStepFraction * Math.Max(since, 0)));
        return PendingEvaluations >= HoldEvaluations && span >= needed && Adopt(raw);
    }

    /// <summary>Ends the wait when the run went quiet: with no further points to make it flap, the raw label of the
    /// final points takes effect (so a finished run's label is a function of its points, not of when its evaluations
    /// ran); returns true when the held label changed.</summary>
    public bool Settle(string raw)
    {
        ArgumentException.ThrowIfNullOrEmpty(raw);
        return Adopt(raw);
    }

    private bool Adopt(string raw)
    {
        var changed = !string.Equals(raw, Held, StringComparison.Ordinal);
        Held = raw;
        ClearPending();
        return changed;
    }

    private void ClearPending()
    {
        Pending = null;
        PendingEvaluations = 0;
        PendingSince = null;
    }
}
