using System.Text.Json;
using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Tests.Experiments;

/// <summary>The reduce_on_plateau schedule follows torch.optim.lr_scheduler.ReduceLROnPlateau (mode min, rel threshold).</summary>
public sealed class ReduceOnPlateauScheduleTests
{
    private sealed class Recorder : IMetricSink
    {
        public Dictionary<string, SortedDictionary<long, double>> Series { get; } = [];

        public void Log(long step, string key, double value)
        {
            if (!Series.TryGetValue(key, out var s))
                Series[key] = s = [];
            s[step] = value;
        }
    }

    [Fact]
    public void Too_high_a_learning_rate_is_halved_after_patience_bad_steps_as_PyTorch_does()
    {
        var spec = ExperimentSpec.FromJson(
            """
            {"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": 0.21, "condition_number": 10, "dimension": 4},
             "schedule": {"name": "reduce_on_plateau", "factor": 0.5, "patience": 2, "threshold": 0}, "steps": 80}
            """
        );
        Assert.Empty(ExperimentCatalog.Validate(spec));
        var sink = new Recorder();
        ExperimentRunner.Run(spec, sink);

        // PyTorch's rule written out: after each step's loss, a value not below best·(1 − threshold) is bad; more than
        // `patience` bad evaluations in a row multiply lr by `factor` and reset the count.
        var loss = sink.Series["loss"];
        var lr = sink.Series["lr"];
        double expected = 0.21,
            best = double.PositiveInfinity;
        var bad = 0;
        var reductions = 0;
        for (long t = 1; t <= 80; t++)
        {
            Assert.Equal(expected, lr[t], 15);
            var metric = loss[t];
            if (metric < best)
            {
                best = metric;
                bad = 0;
            }
            else
                bad++;
            if (bad > 2)
            {
                expected *= 0.5;
                bad = 0;
                reductions++;
            }
        }
        Assert.True(reductions >= 1, "lr 0.21 > 2/L diverges on this quadratic, so the schedule must reduce it");
        Assert.True(loss[80] < loss[1], "after the reduction GD is stable and the loss falls");
    }
}
