using Tracker.Analysis.Convergence;

namespace Tracker.Analysis.Tests.Convergence;

/// <summary>Each pattern over 20 randomized curves (time constant ±30 %, several noise levels): at least 90 % right.</summary>
public sealed class LearningCurveSweepTests
{
    private static readonly Dictionary<string, (int Steps, Func<int, double, double> Train, Func<int, double, double>? Val)> Shapes = new()
    {
        ["healthy_convergence"] = (3000, (t, k) => 0.05 + (2.25 * Math.Exp(-t / (100 * k))), (t, k) => 0.1 + (2.2 * Math.Exp(-t / (100 * k)))),
        ["overfitting"] = (
            3000,
            (t, k) => 0.01 + (2 * Math.Exp(-t / (150 * k))),
            (t, k) => 0.3 + (2 * Math.Exp(-t / (150 * k))) + (0.0003 * k * Math.Max(0, t - 1200))
        ),
        ["underfitting"] = (2000, (t, k) => 1.5 + (0.8 * Math.Exp(-t / (50 * k))), (t, k) => 1.55 + (0.8 * Math.Exp(-t / (50 * k)))),
        ["oscillating"] = (2000, (t, k) => 2.0 + (0.3 * Math.Exp(-t / 100.0)), null),
        ["slow_progress"] = (1000, (t, k) => 2.3 - (0.0001 * k * t), null),
        ["still_improving"] = (400, (t, k) => 0.05 + (2.25 * Math.Exp(-t / (200 * k))), (t, k) => 0.1 + (2.2 * Math.Exp(-t / (200 * k)))),
    };

    public static TheoryData<string, double> Cases()
    {
        var data = new TheoryData<string, double>();
        foreach (var label in Shapes.Keys)
        {
            foreach (var noise in new[] { 0.0, 0.02, 0.05 })
            {
                data.Add(label, noise);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Randomized_curves_of_a_pattern_are_labelled_right_at_least_nine_times_in_ten(string label, double noise)
    {
        var (steps, train, val) = Shapes[label];
        var right = 0;
        var wrong = new List<string>();
        for (var seed = 1; seed <= 20; seed++)
        {
            var random = new Random(seed);
            var k = 0.7 + (0.6 * random.NextDouble());
            var amplitude = label == "oscillating" ? 1.5 + (3 * noise) : noise;
            var classifier = new LearningCurveClassifier();
            for (var t = 1; t <= steps; t++)
            {
                var n = amplitude * (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
                classifier.ObserveTraining(t, train(t, k) + n);
                if (val is not null && t % 50 == 0)
                {
                    classifier.ObserveValidation(t, val(t, k) + (n / 5));
                }
            }

            var got = classifier.Classify().Label;
            if (got == label)
            {
                right++;
            }
            else
            {
                wrong.Add(got);
            }
        }

        Assert.True(right >= 18, $"{right}/20 right; wrong: {string.Join(", ", wrong)}");
    }
}
