using System.Text.Json;
using System.Text.Json.Serialization;
using Tracker.Analysis.Convergence;
using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;

namespace Tracker.Bench.Curves;

/// <summary>Running recipes, storing curves and replaying them through the analyzer.</summary>
internal static class Corpus
{
    /// <summary>The classifier's labels in a fixed order (rows and columns of the confusion matrix).</summary>
    public static readonly string[] Labels =
    [
        "healthy_convergence",
        "overfitting",
        "underfitting",
        "oscillating",
        "slow_progress",
        "diverging",
        "still_improving",
        "insufficient_data",
    ];

    /// <summary>Compact JSON; NaN/Infinity written as strings.</summary>
    public static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, WriteIndented = false };

    /// <summary>Runs a spec and records its loss and val_loss.</summary>
    public static (Series Loss, Series Val) Run(ExperimentSpec spec)
    {
        var sink = new Sink();
        ExperimentRunner.Run(spec, sink);
        return (sink.Loss, sink.Val);
    }

    /// <summary>The stored form: the loss every stride steps (and the last), values to 7 significant digits, series cut after the first non-finite value.</summary>
    public static Curve ToCurve(Recipe recipe, Dictionary<string, double> rule, Series loss, Series val)
    {
        var lastStep = loss.Steps[^1];
        var ls = new List<long>();
        var lv = new List<double>();
        for (var i = 0; i < loss.Count; i++)
        {
            if (loss.Steps[i] % recipe.Stride == 0 || loss.Steps[i] == lastStep || !double.IsFinite(loss.Values[i]))
            {
                ls.Add(loss.Steps[i]);
                lv.Add(Round(loss.Values[i]));
                if (!double.IsFinite(loss.Values[i]))
                {
                    break;
                }
            }
        }

        var vs = new List<long>();
        var vv = new List<double>();
        for (var i = 0; i < val.Count; i++)
        {
            vs.Add(val.Steps[i]);
            vv.Add(Round(val.Values[i]));
            if (!double.IsFinite(val.Values[i]))
            {
                break;
            }
        }

        return new Curve
        {
            Id = recipe.Id,
            Family = recipe.Family,
            Label = recipe.Label,
            Rule = rule.ToDictionary(kv => kv.Key, kv => Round(kv.Value)),
            Spec = recipe.Spec.ToJson(),
            Stride = recipe.Stride,
            LossSteps = [.. ls],
            Loss = [.. lv],
            ValSteps = [.. vs],
            ValLoss = [.. vv],
        };
    }

    /// <summary>Feeds the curve to a fresh <see cref="RunAnalyzer"/> as a server receives it (loss and val_loss interleaved by step) and returns its pattern verdict.</summary>
    public static PatternVerdict Classify(Curve curve)
    {
        var analyzer = new RunAnalyzer();
        int i = 0,
            j = 0;
        while (i < curve.LossSteps.Length || j < curve.ValSteps.Length)
        {
            if (j >= curve.ValSteps.Length || (i < curve.LossSteps.Length && curve.LossSteps[i] <= curve.ValSteps[j]))
            {
                analyzer.Observe("loss", curve.LossSteps[i], curve.Loss[i]);
                i++;
            }
            else
            {
                analyzer.Observe("val_loss", curve.ValSteps[j], curve.ValLoss[j]);
                j++;
            }
        }

        var snapshot = analyzer.Snapshot();
        return new PatternVerdict(
            Enum.GetValues<CurvePattern>().First(p => PatternVerdict.LabelOf(p) == snapshot.Pattern.Label),
            snapshot.Pattern.Confidence,
            snapshot.Pattern.Evidence
        );
    }

    private static double Round(double v) =>
        double.IsFinite(v) && v != 0
            ? double.Parse(v.ToString("G7", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)
            : v;

    private sealed class Sink : IMetricSink
    {
        public Series Loss { get; } = new();

        public Series Val { get; } = new();

        public void Log(long step, string key, double value)
        {
            if (key == "loss")
            {
                Loss.Add(step, value);
            }
            else if (key == "val_loss")
            {
                Val.Add(step, value);
            }
        }
    }
}
