using Tracker.Client.Services;
using static Tracker.Client.Components.PlainNumbers;

namespace Tracker.Client.Components;

/// <summary>A run's analysis in plain words: the verdict's headline, what it means for this run (with numbers from the
/// evidence), what to do, the early-stopping advice, the convergence rate, gradient health and the active failure modes.</summary>
/// <remarks>Only evidence keys that the classifier sends today feed the sentences; a missing key drops its clause, and
/// keys this class does not know are left to the raw evidence.</remarks>
public sealed class VerdictNarrative
{
    /// <summary>Words for an analysis (<paramref name="analysis"/> may be null: no analysis yet).</summary>
    public VerdictNarrative(RunAnalysis? analysis)
    {
        var pattern = analysis?.Pattern;
        Label = pattern?.Label;
        Headline = HeadlineOf(Label);
        Tone = ToneOf(Label);
        Confidence = pattern?.Confidence is { } c && double.IsFinite(c) ? Percent(Math.Clamp(c, 0, 1)) : null;
        Summary = pattern is null ? null : SummaryOf(pattern);
        Actions = ActionsOf(pattern, analysis?.Advice);
        var advice = analysis?.Advice;
        if (advice is not null)
        {
            AdviceDecision = advice.ShouldStop ? "Stop" : "Continue";
            AdviceBest = advice.BestStep is { } step
                ? $"best {advice.Monitor ?? "value"} {(advice.BestValue is { } bv ? Value(bv) + " " : "")}at step {step}"
                : null;
            AdviceStrategy = StrategyOf(advice.Strategy);
        }
        Rate = RateOf(analysis?.Rate);
        Gradients = GradientsOf(analysis?.Gradients);
        ActiveFailures = analysis is null ? [] : [.. analysis.Failures.Where(f => f.Active).Select(Explain)];
    }

    /// <summary>The pattern label as sent (e.g. <c>overfitting</c>), or null.</summary>
    public string? Label { get; }

    /// <summary>The pattern in words, e.g. <c>Healthy convergence</c>.</summary>
    public string Headline { get; }

    /// <summary>How the verdict reads at a glance.</summary>
    public VerdictTone Tone { get; }

    /// <summary>The tone in words (shown beside the headline so that colour is never the only signal).</summary>
    public string ToneText =>
        Tone switch
        {
            VerdictTone.Good => "On track",
            VerdictTone.Attention => "Needs attention",
            VerdictTone.Problem => "Failing",
            _ => "No verdict",
        };

    /// <summary>The classifier's confidence as a percentage, or null.</summary>
    public string? Confidence { get; }

    /// <summary>One or two sentences on what the pattern means for this run, or null when there is nothing to say.</summary>
    public string? Summary { get; }

    /// <summary>What to do, most specific first: the pattern's action, the advice's action, and when the advice says stop,
    /// stop and restore the best step.</summary>
    public IReadOnlyList<string> Actions { get; }

    /// <summary><c>Stop</c> or <c>Continue</c>, or null without advice.</summary>
    public string? AdviceDecision { get; }

    /// <summary>The best monitored value and its step, e.g. <c>best val_loss 0.431 at step 340</c>, or null.</summary>
    public string? AdviceBest { get; }

    /// <summary>The stopping rule in words, or null.</summary>
    public string? AdviceStrategy { get; }

    /// <summary>The convergence rate in words, e.g. <c>linear, the error shrinks ×0.67 per step</c>, or null.</summary>
    public string? Rate { get; }

    /// <summary>Gradient health in words, e.g. <c>vanishing in layer1, layer2</c>, or null.</summary>
    public string? Gradients { get; }

    /// <summary>The failure modes that hold now, explained.</summary>
    public IReadOnlyList<FailureExplanation> ActiveFailures { get; }

    /// <summary>The headline of a pattern label (unknown labels are turned into words).</summary>
    public static string HeadlineOf(string? label) =>
        label switch
        {
            null => "No verdict yet",
            "healthy_convergence" => "Healthy convergence",
            "overfitting" => "Overfitting",
            "underfitting" => "Underfitting",
            "oscillating" => "Oscillating",
            "slow_progress" => "Slow progress",
            "diverging" => "Diverging",
            "still_improving" => "Still improving",
            "insufficient_data" => "Not enough data yet",
            _ => Words(label),
        };

    private static VerdictTone ToneOf(string? label) =>
        label switch
        {
            "healthy_convergence" or "still_improving" => VerdictTone.Good,
            "overfitting" or "underfitting" or "oscillating" or "slow_progress" => VerdictTone.Attention,
            "diverging" => VerdictTone.Problem,
            _ => VerdictTone.Neutral,
        };

    private static string? SummaryOf(RunAnalysis.PatternPart p)
    {
        var loss =
            p.Number("training_points") is > 0 ? "training loss"
            : p.Number("validation_points") is > 0 ? "validation loss"
            : "loss";
        var drop = Drop(p, loss);
        var points = (p.Number("training_points") ?? 0) + (p.Number("validation_points") ?? 0);
        var text = p.Label switch
        {
            "diverging" => Diverging(p),
            "overfitting" => Overfitting(p),
            "underfitting" => p.Number("train_current") is { } tc && p.Number("relative_drop") is { } rd
                ? $"The {loss} levelled off at {Value(tc)}, only {Percent(rd)} below its start{(p.Number("train_initial") is { } t0 ? $" ({Value(t0)})" : "")}: the model does not fit even the training data well."
                : $"The {loss} levelled off high: the model does not fit even the training data well.",
            "oscillating" => Oscillating(p, loss),
            "slow_progress" => p.Number("train_initial") is { } s0 && p.Number("train_current") is { } sc
                ? $"The {loss} is falling steadily but slowly: {(p.Number("relative_drop") is { } srd ? $"only {Percent(srd)} so far, " : "")}from {Value(s0)} to {Value(sc)}."
                : $"The {loss} is falling steadily but slowly.",
            "still_improving" => drop is null ? $"The {loss} is still falling." : $"{drop} and is still falling{Share(p)}.",
            "healthy_convergence" => drop is null
                ? $"The {loss} has levelled off."
                : $"{drop} and has levelled off{(p.Number("recent_share") is { } rs ? $": only {Percent(rs)} of that drop came in the last quarter of the run" : "")}.{ValidationNote(p)}",
            "insufficient_data" => points > 0
                ? $"Only {Count(points, "loss point")} so far: too few to judge the learning curve."
                : "No loss has been logged yet: the verdict appears once the run logs loss or val_loss.",
            _ => null,
        };
        return text;
    }

    /// <summary>"The training loss fell 91 % from 5.39 to 0.48" (or rose), or null without those numbers.</summary>
    private static string? Drop(RunAnalysis.PatternPart p, string loss)
    {
        if (p.Number("train_initial") is not { } t0 || p.Number("train_current") is not { } tc)
            return null;
        var rd = p.Number("relative_drop");
        return tc <= t0
            ? $"The {loss} fell {(rd is { } r ? Percent(r) + " " : "")}from {Value(t0)} to {Value(tc)}"
            : $"The {loss} rose {(rd is { } r2 ? Percent(-r2) + " " : "")}from {Value(t0)} to {Value(tc)}";
    }

    /// <summary>": 8.6 % of that drop came in the last quarter of the run", or nothing.</summary>
    private static string Share(RunAnalysis.PatternPart p) =>
        p.Number("recent_share") is { } s && s > 0 ? $": {Percent(s)} of that drop came in the last quarter of the run" : "";

    private static string Diverging(RunAnalysis.PatternPart p)
    {
        var at = p.Number("diverged_step") is { } step ? $" at step {Whole(step)}" : "";
        if (p.Number("non_finite") is 1)
            return $"The loss became NaN or infinite{at}: training has broken down.";
        var value = p.Number("diverged_value") is { } v ? $" to {Value(v)}" : "";
        var limit = p.Number("growth_limit") is { } l ? $", past the divergence limit of {Value(l)}" : "";
        return $"The loss grew{value}{at}{limit}: training is blowing up.";
    }

    private static string Overfitting(RunAnalysis.PatternPart p)
    {
        if (p.Number("val_min") is not { } min || p.Number("val_rise") is not { } rise)
        {
            return "Validation loss has risen above its minimum while the training loss did not: the model is memorizing the training data.";
        }

        var above = min != 0 ? $"{Percent(rise / Math.Abs(min))} above" : $"{Value(rise)} above";
        var at = p.Number("val_min_step") is { } step ? $" at step {Whole(step)}" : "";
        var ago = p.Number("evaluations_since_val_min") is { } n ? $", reached {Count(n, "evaluation")} ago" : "";
        var first = $"Validation loss is {above} its minimum of {Value(min)}{at}{ago}.";
        var second =
            p.Number("train_change_since_val_min") is { } change && change < 0
                ? $" Meanwhile the training loss kept falling (by {Value(-change)}): the model is memorizing the training data."
                : " The training loss has not got worse meanwhile: the model is fitting the training data at the expense of new data.";
        return first + second;
    }

    private static string Oscillating(RunAnalysis.PatternPart p, string loss)
    {
        var near = p.Number("train_current") is { } tc ? $" near {Value(tc)}" : "";
        if (p.Number("band") is { } band && band > 0)
        {
            var fall = p.Number("band_fall") ?? 0;
            var trend = fall <= 0.1 * band ? $"a flat trend{near}" : $"a trend{near} that fell only {Value(fall)} over the second half of the run";
            return $"The {loss} swings by ±{Value(band / 2)} around {trend}: the steps overshoot instead of settling.";
        }

        if (p.Number("train_noise") is { } noise && noise > 0)
        {
            var ratio = p.Number("oscillation") is { } o ? $", {Percent(o)} of its total drop," : "";
            return $"The {loss} strays {Value(noise)} from its smoothed curve on average{ratio} with no downward trend{near}.";
        }

        return $"The {loss} swings without a downward trend.";
    }

    private static string ValidationNote(RunAnalysis.PatternPart p)
    {
        if (p.Number("val_current") is not { } current || p.Number("val_min") is not { } min)
            return "";
        var at = p.Number("val_min_step") is { } step ? $" at step {Whole(step)}" : "";
        var rise = current - min;
        return min != 0 && rise / Math.Abs(min) >= 1e-3
            ? $" Validation loss is {Value(current)}, {Percent(rise / Math.Abs(min))} above its best of {Value(min)}{at}."
            : $" Validation loss is at its best, {Value(min)}{at}.";
    }

    private static List<string> ActionsOf(RunAnalysis.PatternPart? pattern, RunAnalysis.AdvicePart? advice)
    {
        var actions = new List<string>();
        void Add(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
                return;
            var sentence = Sentence(text);
            if (!actions.Contains(sentence, StringComparer.OrdinalIgnoreCase))
                actions.Add(sentence);
        }

        Add(pattern?.Action);
        Add(advice?.Action);
        if (advice is { ShouldStop: true })
        {
            Add(
                advice.BestStep is { } step
                    ? $"Stop training and restore the checkpoint from step {step}{(advice.BestValue is { } v ? $" (best {advice.Monitor ?? "value"} {Value(v)})" : "")}"
                    : "Stop training"
            );
        }
        return actions;
    }

    private static string? StrategyOf(string? strategy) =>
        strategy switch
        {
            null => null,
            "patience" => "patience (no improvement for N evaluations)",
            "gl" => "generalization loss (Prechelt's GL)",
            "pq" => "progress quotient (Prechelt's PQ)",
            "up" => "successive rises (Prechelt's UP)",
            _ => strategy,
        };

    private static string? RateOf(RunAnalysis.RatePart? rate)
    {
        if (rate is null)
            return null;
        var towards = rate.Number("f_star") is { } f ? $" towards {Value(f)}" : "";
        return rate.Class switch
        {
            null or "unknown" => "not known yet (too little steadily decreasing data)",
            "linear" when rate.Number("c") is { } c => $"linear, the error shrinks ×{Value(c)} per step{towards}",
            "sublinear" when rate.Number("p") is { } p => $"sublinear, the error falls like 1/step^{Value(p)}{towards}",
            "superlinear" =>
                $"superlinear{(rate.Number("order") is { } o ? $" (order {Value(o)})" : "")}, each step removes a growing share of the error{towards}",
            "quadratic" => $"quadratic, the error roughly squares each step{towards}",
            _ => rate.Class + towards,
        };
    }

    private static string? GradientsOf(RunAnalysis.GradientsPart? g)
    {
        if (g is null)
            return null;
        var where = g.AffectedLayers.Count > 0 ? " in " + string.Join(", ", g.AffectedLayers) : "";
        var layers = g.LayerDetails.Count > 0 ? g.LayerDetails.Count : g.Layers.Count;
        return g.Status switch
        {
            null or "unknown" => "not logged (log grad_norm/<layer> series to see it)",
            "healthy" => layers > 0 ? $"healthy across {layers} gradient-norm series" : "healthy",
            "vanishing" => $"vanishing{where}: those layers barely learn",
            "exploding" => $"exploding{where}: clip gradients or lower the learning rate",
            "non_finite" => $"NaN or infinite{where}",
            _ => Words(g.Status) + where,
        };
    }

    private static FailureExplanation Explain(RunAnalysis.Failure f)
    {
        (var title, var meaning) = f.Name switch
        {
            "saddle_point_stall" => (
                "Saddle-point stall",
                "The gradient norm collapsed while the loss is still flat and high: the optimizer is stuck near a saddle point, not at a minimum."
            ),
            "saddle_point_escape" => ("Escaped a saddle point", "The loss resumed falling after a stall."),
            "premature_convergence" => (
                "Premature convergence",
                "The learning-rate schedule decayed to almost nothing while the loss is still high: training froze too early."
            ),
            "oscillation_constant_lr" => (
                "Oscillation at a constant learning rate",
                "The loss stopped improving and bounces in a band while the learning rate stays fixed: the step is too large to settle."
            ),
            _ => (Words(f.Name), null),
        };
        (var seen, var fix) = SplitDescription(f.Description);
        return new FailureExplanation(f.Name, title, meaning, seen, fix, f.Step);
    }

    /// <summary>Descriptions read "what was seen: what to do" (the saddle stall adds "diagnosis; fix" after the colon).</summary>
    private static (string Seen, string? Fix) SplitDescription(string? description)
    {
        if (string.IsNullOrWhiteSpace(description))
            return ("", null);
        var colon = description.LastIndexOf(": ", StringComparison.Ordinal);
        if (colon < 0)
            return (Sentence(description), null);
        var seen = description[..colon];
        var fix = description[(colon + 2)..];
        var semicolon = fix.LastIndexOf("; ", StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            seen += ": " + fix[..semicolon];
            fix = fix[(semicolon + 2)..];
        }
        return (Sentence(seen), Sentence(fix));
    }

    /// <summary><c>some_new_label</c> → <c>Some new label</c>.</summary>
    private static string Words(string name)
    {
        var words = name.Replace('_', ' ').Trim();
        return words.Length == 0 ? name : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
